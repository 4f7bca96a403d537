using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.Deployment;

public sealed class DeploymentUtilTests
{
    private static JsonNode? Value(object? v) => v switch { int i => JsonValue.Create(i), string s => JsonValue.Create(s), _ => null };

    [Theory]
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("25%", "25%", 10, 3, 2)]
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("50%", "50%", 3, 2, 1)]
    [InlineData(1, 0, 3, 1, 0)]
    [InlineData(0, 0, 3, 0, 1)]
    [InlineData("0%", "0%", 5, 0, 1)]
    [InlineData("10%", 2, 5, 1, 2)]
    public void ResolveFenceposts_UpstreamRounding(object surge, object unavailable, int desired, int expectedSurge, int expectedUnavailable)
    {
        Assert.Equal((expectedSurge, expectedUnavailable), DeploymentUtil.ResolveFenceposts(Value(surge), Value(unavailable), desired));
    }

    [Fact]
    public void MaxUnavailable_Recreate_IsZero()
    {
        var d = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 4, ["strategy"] = new JsonObject { ["type"] = "Recreate" } } };
        Assert.Equal((0, 0), (DeploymentUtil.MaxUnavailable(d), DeploymentUtil.MaxSurge(d)));
    }

    private static JsonObject Template(string image, bool kubectlShape = false)
    {
        var container = new JsonObject { ["name"] = "c", ["image"] = image };
        var meta = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } };
        if (kubectlShape)
        {
            container["resources"] = new JsonObject();
            meta["creationTimestamp"] = null;
            meta["labels"]!["pod-template-hash"] = "abc";
        }
        return new JsonObject { ["metadata"] = meta, ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } };
    }

    [Fact]
    public void PodTemplateHash_StableSafeAndCollisionSensitive()
    {
        var hash = PodTemplateHash.Compute(Template("nginx:1"), null);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.Equal(hash, PodTemplateHash.Compute(Template("nginx:1"), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("nginx:2"), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("nginx:1"), 1));
    }

    [Fact]
    public void EqualIgnoreHash_KubectlReencodedTemplate_Equal()
    {
        Assert.True(PodTemplateHash.EqualIgnoreHash(Template("nginx:1"), Template("nginx:1", kubectlShape: true)));
        Assert.False(PodTemplateHash.EqualIgnoreHash(Template("nginx:1"), Template("nginx:2", kubectlShape: true)));
    }

    [Fact]
    public void SetNewReplicaSetAnnotations_ReusedSet_BumpsRevisionAndAppendsHistory()
    {
        var d = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["kubernetes.io/change-cause"] = "v1", [Annotations.LastAppliedConfig] = "{}" } },
            ["spec"] = new JsonObject { ["replicas"] = 3 },
        };
        var rs = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotations.Revision] = "1" } } };

        Assert.True(Annotations.SetNewReplicaSetAnnotations(d, rs, 3, exists: true));
        Assert.True(Annotations.SetNewReplicaSetAnnotations(d, rs, 5, exists: true));
        Assert.False(Annotations.SetNewReplicaSetAnnotations(d, rs, 5, exists: true));

        Assert.Equal("5", Annotations.Get(rs, Annotations.Revision));
        Assert.Equal("1,3", Annotations.Get(rs, Annotations.RevisionHistory));
        Assert.Equal("v1", Annotations.Get(rs, "kubernetes.io/change-cause"));
        Assert.Null(Annotations.Get(rs, Annotations.LastAppliedConfig));
        Assert.Null(Annotations.Get(rs, Annotations.DesiredReplicas));
    }

    [Fact]
    public void SetNewReplicaSetAnnotations_NewSet_GetsReplicaAnnotations()
    {
        var d = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["replicas"] = 4,
                ["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" } },
            },
        };
        var rs = new JsonObject { ["metadata"] = new JsonObject() };
        Annotations.SetNewReplicaSetAnnotations(d, rs, 1, exists: false);
        Assert.Equal(("1", "4", "5"), (Annotations.Get(rs, Annotations.Revision), Annotations.Get(rs, Annotations.DesiredReplicas), Annotations.Get(rs, Annotations.MaxReplicas)));
        Assert.Null(rs.GetString("metadata", "annotations", Annotations.RevisionHistory));
    }
}

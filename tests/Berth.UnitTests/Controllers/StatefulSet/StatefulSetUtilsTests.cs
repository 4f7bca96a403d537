using System.Text.Json.Nodes;
using Berth.Controllers.StatefulSet;
using Berth.Controllers.Util;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.StatefulSet.StatefulSetTestHost;

namespace Berth.UnitTests.Controllers.StatefulSet;

public sealed class StatefulSetUtilsTests
{
    private static JsonObject Set(int replicas = 3, JsonObject? strategy = null)
    {
        var set = NewStatefulSet("web", replicas, updateStrategy: strategy);
        set.Metadata()["uid"] = "uid-1";
        return set;
    }

    [Theory]
    [InlineData("web-0", "web", 0)]
    [InlineData("my-web-12", "my-web", 12)]
    [InlineData("web", "", -1)]
    [InlineData("web-x", "", -1)]
    public void GetParentNameAndOrdinal_Names_Parsed(string name, string parent, int ordinal) =>
        Assert.Equal((parent, ordinal), StatefulSetUtils.GetParentNameAndOrdinal(name));

    [Fact]
    public void NewStatefulSetPod_Ordinal_HasStableIdentityAndControllerRef()
    {
        var pod = StatefulSetUtils.NewStatefulSetPod(Set(), 2);

        Assert.Equal("web-2", pod.GetName());
        Assert.Null(pod.GetString("metadata", "generateName"));
        Assert.Equal("web-2", pod.GetLabels()[StatefulSetUtils.StatefulSetPodNameLabel]);
        Assert.Equal("2", pod.GetLabels()[StatefulSetUtils.PodIndexLabel]);
        Assert.Equal("web", pod.GetLabels()["app"]);
        Assert.Equal(("web-2", "web"), (pod.GetString("spec", "hostname"), pod.GetString("spec", "subdomain")));
        Assert.Equal("uid-1", OwnerReferences.GetControllerOf(pod)!.GetString("uid"));
        Assert.True(StatefulSetUtils.IdentityMatches(Set(), pod));
    }

    [Fact]
    public void IdentityMatches_LabelMissingOrOtherSet_False()
    {
        var pod = StatefulSetUtils.NewStatefulSetPod(Set(), 1);
        ((JsonObject)pod.Metadata()["labels"]!).Remove(StatefulSetUtils.StatefulSetPodNameLabel);

        Assert.False(StatefulSetUtils.IdentityMatches(Set(), pod));
        StatefulSetUtils.UpdateIdentity(Set(), pod);
        Assert.True(StatefulSetUtils.IdentityMatches(Set(), pod));
        Assert.False(StatefulSetUtils.IdentityMatches(NewStatefulSet("db", 3), pod));
    }

    [Fact]
    public void NewVersionedStatefulSetPod_BelowPartition_CurrentRevisionElseUpdate()
    {
        var strategy = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 2 } };
        var current = Set(strategy: strategy);
        var update = Set(strategy: strategy.DeepClone().AsObject());
        update.GetArray("spec", "template", "spec", "containers")![0]!["image"] = "new:1";

        var low = StatefulSetUtils.NewVersionedStatefulSetPod(current, update, "web-old", "web-new", 1);
        var high = StatefulSetUtils.NewVersionedStatefulSetPod(current, update, "web-old", "web-new", 2);

        Assert.Equal(("web-old", "busybox:1.36"), (StatefulSetUtils.GetPodRevision(low), low.GetArray("spec", "containers")![0]!["image"]!.GetValue<string>()));
        Assert.Equal(("web-new", "new:1"), (StatefulSetUtils.GetPodRevision(high), high.GetArray("spec", "containers")![0]!["image"]!.GetValue<string>()));
    }

    [Fact]
    public void ApplyRevision_RevisionOfOtherTemplate_RestoresThatTemplate()
    {
        var old = Set();
        var revision = StatefulSetRevisions.NewRevision(old, 1, 0);
        var changed = Set();
        changed.GetArray("spec", "template", "spec", "containers")![0]!["image"] = "new:1";

        var restored = StatefulSetRevisions.ApplyRevision(changed, revision);

        Assert.True(JsonNode.DeepEquals(old["spec"]!["template"], restored["spec"]!["template"]));
        Assert.Equal("replace", revision.GetString("data", "spec", "template", "$patch"));
        Assert.Equal("new:1", changed.GetArray("spec", "template", "spec", "containers")![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void NewRevision_SetAnnotations_CopiedForChangeCause()
    {
        var set = Set();
        set.Metadata()["annotations"] = new JsonObject { ["kubernetes.io/change-cause"] = "v2" };

        var revision = StatefulSetRevisions.NewRevision(set, 4, 0);

        Assert.Equal("v2", revision.GetString("metadata", "annotations", "kubernetes.io/change-cause"));
        Assert.Equal(4, revision.GetLong("revision"));
        Assert.StartsWith("web-", revision.GetName(), StringComparison.Ordinal);
    }
}

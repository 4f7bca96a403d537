using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class PodStrategyTests
{
    private static JsonObject Pod(string? nodeName, string? phase, long? grace)
    {
        var pod = Parse("""{"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"a","image":"x"}]},"status":{}}""");
        if (nodeName is not null)
        {
            pod.GetObject("spec")!["nodeName"] = nodeName;
        }
        if (grace is not null)
        {
            pod.GetObject("spec")!["terminationGracePeriodSeconds"] = grace;
        }
        if (phase is not null)
        {
            pod.GetObject("status")!["phase"] = phase;
        }
        return pod;
    }

    [Theory]
    [InlineData("node1", "Running", 30L, null, 30L)]
    [InlineData("node1", "Running", 30L, 10L, 10L)]
    [InlineData("node1", "Running", 30L, 0L, 0L)]
    [InlineData("node1", "Running", 30L, -3L, 1L)]
    [InlineData("node1", "Running", null, null, 0L)]
    [InlineData("", "Pending", 30L, 60L, 0L)]
    [InlineData(null, "Pending", 30L, null, 0L)]
    [InlineData("node1", "Succeeded", 30L, 10L, 0L)]
    [InlineData("node1", "Failed", 30L, null, 0L)]
    public void CheckGracefulDelete_Cases_MatchUpstreamArithmetic(string? nodeName, string? phase, long? specGrace, long? requested, long expected)
    {
        Assert.Equal(expected, new PodStrategy().CheckGracefulDelete(Pod(nodeName, phase, specGrace), requested));
    }

    [Theory]
    [InlineData("metadata.name", "p")]
    [InlineData("metadata.namespace", "default")]
    [InlineData("spec.nodeName", "node1")]
    [InlineData("spec.restartPolicy", "Always")]
    [InlineData("spec.schedulerName", "default-scheduler")]
    [InlineData("spec.serviceAccountName", "default")]
    [InlineData("spec.hostNetwork", "false")]
    [InlineData("status.phase", "Running")]
    [InlineData("status.podIP", "10.0.0.7")]
    [InlineData("status.nominatedNodeName", "")]
    public void GetSelectableField_PodFields_ReturnValues(string field, string expected)
    {
        var pod = Pod("node1", "Running", null);
        new PodStrategy().Default(pod);
        pod.GetObject("status")!["podIPs"] = JsonNode.Parse("""[{"ip":"10.0.0.7"}]""");

        Assert.Equal(expected, new PodStrategy().GetSelectableField(pod, field));
    }

    [Fact]
    public void GetSelectableField_UnknownField_Null()
    {
        Assert.Null(new PodStrategy().GetSelectableField(Pod("n", null, null), "spec.containers"));
    }

    [Fact]
    public void PrepareForStatusUpdate_SpecAndOwnerReferencesKept_StatusTaken()
    {
        var old = Pod("node1", "Pending", 30);
        old.Metadata()["ownerReferences"] = JsonNode.Parse("""[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1"}]""");
        old.GetObject("status")!["qosClass"] = "BestEffort";
        var updated = With(old, p =>
        {
            p.GetObject("spec")!["nodeName"] = "elsewhere";
            p.Metadata().Remove("ownerReferences");
            p["status"] = JsonNode.Parse("""{"phase":"Running"}""");
        });

        new PodStrategy().PrepareForStatusUpdate(updated, old);

        Assert.Equal("node1", updated.GetString("spec", "nodeName"));
        Assert.Equal("rs", updated.GetArray("metadata", "ownerReferences")![0]!["name"]!.GetValue<string>());
        Assert.Equal("Running", updated.GetString("status", "phase"));
        Assert.Equal("BestEffort", updated.GetString("status", "qosClass"));
    }
}

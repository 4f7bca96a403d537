using System.Text.Json.Nodes;
using Berth.Kubelet;

namespace Berth.UnitTests.Kubelet;

public sealed class PodUpdateKindsTests
{
    [Fact]
    public void IsKubeletStatusEcho_OnlyKubeletStatusChanged_True()
    {
        var old = Pod();
        var now = Pod();
        now["metadata"]!["resourceVersion"] = "8";
        now["status"]!["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "app", ["ready"] = true });
        now["status"]!["podIP"] = "127.1.0.9";
        Condition(now, "Ready")["status"] = "True";

        Assert.True(PodUpdateKinds.IsKubeletStatusEcho(old, now, "Running"));
    }

    [Fact]
    public void IsKubeletStatusEcho_NoCachedStatusOrOtherPhase_False()
    {
        Assert.False(PodUpdateKinds.IsKubeletStatusEcho(Pod(), Pod(), null));
        Assert.False(PodUpdateKinds.IsKubeletStatusEcho(Pod(), Pod(), "Pending"));
    }

    [Theory]
    [InlineData("spec")]
    [InlineData("labels")]
    [InlineData("annotations")]
    [InlineData("deletionTimestamp")]
    [InlineData("deletionGracePeriodSeconds")]
    public void IsKubeletStatusEcho_SemanticChange_False(string what)
    {
        var now = Pod();
        var metadata = now["metadata"]!.AsObject();
        switch (what)
        {
            case "spec":
                now["spec"]!["activeDeadlineSeconds"] = 30;
                break;
            case "labels":
                metadata["labels"] = new JsonObject { ["app"] = "other" };
                break;
            case "annotations":
                metadata["annotations"] = new JsonObject { ["note"] = "x" };
                break;
            case "deletionTimestamp":
                metadata["deletionTimestamp"] = "2026-11-28T10:00:00Z";
                break;
            default:
                metadata["deletionGracePeriodSeconds"] = 30;
                break;
        }

        Assert.True(PodUpdateKinds.PodsDifferSemantically(Pod(), now));
        Assert.False(PodUpdateKinds.IsKubeletStatusEcho(Pod(), now, "Running"));
    }

    [Fact]
    public void IsKubeletStatusEcho_ConditionOfAnotherWriter_False()
    {
        var now = Pod();
        now["status"]!["conditions"]!.AsArray().Add(new JsonObject { ["type"] = "example.com/gate", ["status"] = "True" });
        var disrupted = Pod();
        disrupted["status"]!["conditions"]!.AsArray().Add(new JsonObject { ["type"] = "DisruptionTarget", ["status"] = "True" });

        Assert.False(PodUpdateKinds.IsKubeletStatusEcho(Pod(), now, "Running"));
        Assert.False(PodUpdateKinds.IsKubeletStatusEcho(Pod(), disrupted, "Running"));
    }

    [Fact]
    public void IsKubeletStatusEcho_OtherStatusField_False()
    {
        var now = Pod();
        now["status"]!["nominatedNodeName"] = "node-b";

        Assert.False(PodUpdateKinds.IsKubeletStatusEcho(Pod(), now, "Running"));
    }

    private static JsonObject Condition(JsonObject pod, string type) =>
        pod["status"]!["conditions"]!.AsArray().OfType<JsonObject>().First(c => (string?)c["type"] == type);

    private static JsonObject Pod() => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "web", ["uid"] = "u1", ["resourceVersion"] = "7", ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["nodeName"] = "node-a", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "busybox" }) },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                new JsonObject { ["type"] = "Ready", ["status"] = "False" }),
        },
    };
}

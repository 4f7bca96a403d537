using System.Text.Json.Nodes;
using Berth.Controllers.DaemonSet;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.DaemonSet;

public sealed class DaemonSetHelpersTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(string name, int ageSeconds, string? node = null, string? hash = null, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, CreationTimestamp = T0.AddSeconds(-ageSeconds), DeletionTimestamp = deleting ? T0 : null,
            Labels = hash is null ? null : new Dictionary<string, string> { [DaemonSetUtil.ControllerRevisionHashLabel] = hash },
        },
        Spec = new V1PodSpec { NodeName = node },
    };

    [Fact]
    public void PodByCreationTimestampAndPhase_BoundFirstThenOldestThenName()
    {
        var sorted = PodByCreationTimestampAndPhase.Sort([Pod("young", 1, "n"), Pod("unbound-old", 9), Pod("b", 5, "n"), Pod("a", 5, "n")]);

        Assert.Equal(["a", "b", "young", "unbound-old"], sorted.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void FindUpdatedPodsOnNode_OneOfEach_Ok()
    {
        var (newPod, oldPod, ok) = DaemonSetController.FindUpdatedPodsOnNode([Pod("new", 1, hash: "h2"), Pod("old", 5, hash: "h1"), Pod("gone", 9, hash: "h1", deleting: true)], "h2");

        Assert.True(ok);
        Assert.Equal(("new", "old"), (newPod!.Metadata.Name, oldPod!.Metadata.Name));
    }

    [Fact]
    public void FindUpdatedPodsOnNode_TwoOld_NotOk() =>
        Assert.False(DaemonSetController.FindUpdatedPodsOnNode([Pod("a", 1, hash: "h1"), Pod("b", 2)], "h2").Ok);

    [Fact]
    public void ShouldIgnoreNodeUpdate_HeartbeatOnly_Ignored()
    {
        static JsonObject Node(string rv, string heartbeat, string ready, string? label = null) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = "n", ["resourceVersion"] = rv, ["labels"] = new JsonObject { ["x"] = label ?? "1" } },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready, ["lastHeartbeatTime"] = heartbeat }),
            },
        };

        Assert.True(DaemonSetController.ShouldIgnoreNodeUpdate(Node("1", "a", "True"), Node("2", "b", "True")));
        Assert.False(DaemonSetController.ShouldIgnoreNodeUpdate(Node("1", "a", "True"), Node("2", "b", "False")));
        Assert.False(DaemonSetController.ShouldIgnoreNodeUpdate(Node("1", "a", "True"), Node("2", "a", "True", label: "2")));
    }

    [Fact]
    public void FailedPodsBackoff_DoublesUpToMaxAndExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var backoff = new FailedPodsBackoff(time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        var key = FailedPodsBackoff.Key("uid", 1, "n1");

        Assert.False(backoff.IsInBackOffSinceUpdate(key));
        backoff.Next(key);
        Assert.True(backoff.IsInBackOffSinceUpdate(key));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(backoff.IsInBackOffSinceUpdate(key));
        backoff.Next(key);
        backoff.Next(key);
        backoff.Next(key);
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Get(key));

        time.Advance(TimeSpan.FromSeconds(9));
        backoff.GC();
        Assert.Equal(TimeSpan.Zero, backoff.Get(key));
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using static Berth.UnitTests.Controllers.NodeLifecycle.LifecycleTestHost;

namespace Berth.UnitTests.Controllers.NodeLifecycle;

public sealed class NodeLifecycleControllerTests : IAsyncDisposable
{
    private readonly LifecycleTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task StartAndObserveAsync(string node = "node-a")
    {
        _host.Run(eviction: false);
        await AsyncTestHelpers.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Reason == "RegisteredNode" && e.Object.Name == node));
    }

    private async Task<string?> ReadyStatusAsync(string node = "node-a") => ConditionOf(await _host.NodeAsync(node), "Ready")?.GetString("status");

    [Fact]
    public async Task Sync_LeaseNotRenewedForGracePeriod_NodeUnknownTaintedAndPodsNotReady()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await _host.CreateRunningPodAsync("web", "node-a");
        await StartAndObserveAsync();
        Assert.Equal("Node node-a event: Registered Node node-a in Controller", _host.Events.Events.Single(e => e.Reason == "RegisteredNode").Message);

        _host.Time.Advance(TimeSpan.FromSeconds(39));
        await Task.Delay(100);
        Assert.Equal("True", await ReadyStatusAsync());
        _host.Time.Advance(TimeSpan.FromSeconds(2));

        await AsyncTestHelpers.WaitUntilAsync(async () => TaintsOf(await _host.NodeAsync("node-a")).Count == 2);
        var node = await _host.NodeAsync("node-a");
        var now = Scheduling.MetaTimesForTests.Format(_host.Time.GetUtcNow());
        foreach (var type in (string[])["Ready", "MemoryPressure"])
        {
            var condition = ConditionOf(node, type)!;
            Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", now),
                (condition.GetString("status"), condition.GetString("reason"), condition.GetString("message"), condition.GetString("lastTransitionTime")));
        }
        foreach (var type in (string[])["DiskPressure", "PIDPressure"])
        {
            Assert.Equal(("Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."),
                (ConditionOf(node, type)!.GetString("status"), ConditionOf(node, type)!.GetString("reason"), ConditionOf(node, type)!.GetString("message")));
        }
        Assert.Equal(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"], TaintsOf(node));
        var noExecute = node.GetArray("spec", "taints")!.OfType<JsonObject>().Single(t => t.GetString("effect") == "NoExecute");
        Assert.Equal(now, noExecute.GetString("timeAdded"));
        Assert.Null(node.GetArray("spec", "taints")!.OfType<JsonObject>().Single(t => t.GetString("effect") == "NoSchedule")["timeAdded"]);
        await AsyncTestHelpers.WaitUntilAsync(async () => ConditionOf(await _host.PodAsync("web"), "Ready")?.GetString("status") == "False");
        Assert.Equal(now, ConditionOf(await _host.PodAsync("web"), "Ready")!.GetString("lastTransitionTime"));
        await AsyncTestHelpers.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Reason == "NodeNotReady" && e.Object.Kind == "Pod"));
        await _host.Events.WaitForAsync(e => e is { Reason: "NodeNotReady", Type: "Normal", Message: "Node node-a status is now: NodeNotReady" });
        await _host.Events.WaitForAsync(e => e is { Reason: "NodeNotReady", Type: "Warning", Message: "Node is not ready" } && e.Object.Name == "web");
    }

    [Fact]
    public async Task Sync_LeaseKeepsBeingRenewed_NodeStaysReadyWithoutStatusHeartbeats()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await StartAndObserveAsync();

        for (var i = 0; i < 6; i++)
        {
            _host.Time.Advance(TimeSpan.FromSeconds(10));
            await _host.RenewLeaseAsync("node-a");
            await _host.WaitForProbeAsync("node-a");
        }
        await Task.Delay(100);

        Assert.Equal("True", await ReadyStatusAsync());
        Assert.Empty(TaintsOf(await _host.NodeAsync("node-a")));
    }

    [Fact]
    public async Task Sync_NodeReadyAgain_TaintsRemoved()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await StartAndObserveAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(41));
        await AsyncTestHelpers.WaitUntilAsync(async () => TaintsOf(await _host.NodeAsync("node-a")).Count == 2);

        var node = await _host.NodeAsync("node-a");
        var now = Scheduling.MetaTimesForTests.Format(_host.Time.GetUtcNow());
        node.SetPath(new JsonArray(Condition("Ready", "True", now)), "status", "conditions");
        await _host.Api.UpdateAsync(KindRegistry.Nodes, null, node, "status");
        await _host.RenewLeaseAsync("node-a");

        await AsyncTestHelpers.WaitUntilAsync(async () => TaintsOf(await _host.NodeAsync("node-a")).Count == 0);
        Assert.Equal("True", await ReadyStatusAsync());
    }

    [Fact]
    public async Task Sync_KubeletPostsNotReadyOrCordoned_NotReadyAndUnschedulableTaints()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await StartAndObserveAsync();

        var node = await _host.NodeAsync("node-a");
        ConditionOf(node, "Ready")!["status"] = "False";
        ConditionOf(node, "MemoryPressure")!["status"] = "True";
        await _host.Api.UpdateAsync(KindRegistry.Nodes, null, node, "status");
        // A patch, as kubectl cordon sends: the controller may already have tainted the node since the status write.
        await _host.Api.PatchAsync(KindRegistry.Nodes, null, "node-a", PatchType.Merge,
            new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = true } });

        await AsyncTestHelpers.WaitUntilAsync(async () => TaintsOf(await _host.NodeAsync("node-a")).Count == 4);
        Assert.Equal(["node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/not-ready:NoExecute",
            "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule"], TaintsOf(await _host.NodeAsync("node-a")));
    }

    [Fact]
    public async Task Sync_NodeNeverPostedReady_UnknownAfterStartupGrace()
    {
        await _host.Api.CreateAsync(KindRegistry.Nodes, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "node-a" } });
        await StartAndObserveAsync();

        _host.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(100);
        Assert.Null(await ReadyStatusAsync());
        _host.Time.Advance(TimeSpan.FromSeconds(2));

        await AsyncTestHelpers.WaitUntilAsync(async () => await ReadyStatusAsync() == "Unknown");
        Assert.Equal("NodeStatusNeverUpdated", ConditionOf(await _host.NodeAsync("node-a"), "Ready")!.GetString("reason"));
    }

    [Fact]
    public async Task Sync_ExistingNoExecuteTaintOnFirstSight_RemovedUntilGraceExpires()
    {
        await _host.CreateHealthyNodeAsync("node-a", new JsonArray(
            new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["effect"] = "NoExecute", ["timeAdded"] = "2026-07-08T09:00:00Z" },
            new JsonObject { ["key"] = "user", ["value"] = "keep", ["effect"] = "NoExecute" }));

        await StartAndObserveAsync();

        Assert.Equal(["user:NoExecute"], TaintsOf(await _host.NodeAsync("node-a")));
    }

    [Fact]
    public async Task ProcessPod_PodBoundToNotReadyNode_MarkedNotReady()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await StartAndObserveAsync();
        var node = await _host.NodeAsync("node-a");
        ConditionOf(node, "Ready")!["status"] = "False";
        await _host.Api.UpdateAsync(KindRegistry.Nodes, null, node, "status");
        await AsyncTestHelpers.WaitUntilAsync(async () => TaintsOf(await _host.NodeAsync("node-a")).Count == 2);

        await _host.CreateRunningPodAsync("late", node: null);
        await _host.BindAsync("late", "node-a");

        await AsyncTestHelpers.WaitUntilAsync(async () => ConditionOf(await _host.PodAsync("late"), "Ready")?.GetString("status") == "False");
    }
}

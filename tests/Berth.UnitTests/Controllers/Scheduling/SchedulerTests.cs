using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.Scheduling;

public sealed class SchedulerTests : IAsyncDisposable
{
    private readonly SchedulerTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static JsonObject? PodScheduled(JsonObject pod) =>
        (pod.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "PodScheduled");

    [Fact]
    public async Task Sync_PendingPod_BoundThroughBindingWithScheduledEvent()
    {
        await _host.CreateNodeAsync("node-a");
        await _host.CreatePodAsync("web", cpu: "500m");

        await AsyncTestHelpers.WaitUntilAsync(async () => await _host.NodeOfAsync("web") == "node-a");

        var pod = await _host.PodAsync("web");
        Assert.Equal("True", PodScheduled(pod)!.GetString("status"));
        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("web", "Scheduled").Count == 1);
        var scheduled = _host.EventsFor("web", "Scheduled")[0];
        Assert.Equal(("Normal", "Successfully assigned default/web to node-a"), (scheduled.Type, scheduled.Message));
    }

    [Fact]
    public async Task Sync_NoNodeFits_FailedSchedulingAndUnschedulableCondition_ThenBoundWhenNodeAdded()
    {
        await _host.CreateNodeAsync("cordoned", unschedulable: true);
        await _host.CreateNodeAsync("small", cpu: "1");
        await _host.CreatePodAsync("big", cpu: "2");
        const string message = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: " +
            "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.";

        // CreateNodeAsync returns once the scheduler's informer holds the node, so the first attempt sees both nodes.
        await AsyncTestHelpers.WaitUntilAsync(async () => PodScheduled(await _host.PodAsync("big"))?.GetString("message") == message);

        var condition = PodScheduled(await _host.PodAsync("big"))!;
        Assert.Equal(("False", "Unschedulable"), (condition.GetString("status"), condition.GetString("reason")));
        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("big", "FailedScheduling").Any(e => e.Message == message));
        Assert.All(_host.EventsFor("big", "FailedScheduling"), e => Assert.Equal("Warning", e.Type));

        await _host.CreateNodeAsync("large", cpu: "8");

        await _host.WaitWhileClockRunsAsync(async () => await _host.NodeOfAsync("big") == "large");
        Assert.Equal("True", PodScheduled(await _host.PodAsync("big"))!.GetString("status"));
    }

    [Fact]
    public async Task Sync_TwoPodsForRoomOfOne_SecondSeesAssumedResources()
    {
        await _host.CreateNodeAsync("node-a", cpu: "1");
        await _host.CreatePodAsync("first", cpu: "600m");
        await _host.CreatePodAsync("second", cpu: "600m");

        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("second", "FailedScheduling").Count + _host.EventsFor("first", "FailedScheduling").Count == 1);

        var bound = new[] { await _host.NodeOfAsync("first"), await _host.NodeOfAsync("second") };
        Assert.Single(bound, n => n == "node-a");
        Assert.StartsWith("0/1 nodes are available: 1 Insufficient cpu.", _host.Events.Events.Single(e => e.Reason == "FailedScheduling").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_AssignedPodDeleted_PendingPodRetriedAfterBackoff()
    {
        await _host.CreateNodeAsync("node-a", cpu: "1");
        await _host.CreatePodAsync("holder", cpu: "800m", node: "node-a");
        await _host.CreatePodAsync("waiting", cpu: "800m");
        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("waiting", "FailedScheduling").Count == 1);

        await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "holder", new Berth.Registry.DeleteOptions(GracePeriodSeconds: 0));
        await Task.Delay(50);
        Assert.Null(await _host.NodeOfAsync("waiting"));
        await _host.WaitWhileClockRunsAsync(async () => await _host.NodeOfAsync("waiting") == "node-a");
    }

    [Fact]
    public async Task Sync_UnschedulablePod_RetriedByPeriodicFlush()
    {
        await _host.CreatePodAsync("lonely");
        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("lonely", "FailedScheduling").Count == 1);
        Assert.Equal("no nodes available to schedule pods", _host.EventsFor("lonely", "FailedScheduling")[0].Message);

        _host.Time.Advance(TimeSpan.FromMinutes(5));

        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("lonely", "FailedScheduling").Count == 2);
        Assert.Equal("no nodes available to schedule pods", PodScheduled(await _host.PodAsync("lonely"))!.GetString("message"));
    }

    [Fact]
    public async Task Sync_OtherSchedulerName_Ignored()
    {
        await _host.CreateNodeAsync("node-a");
        await _host.CreatePodAsync("custom", schedulerName: "my-scheduler");
        await _host.CreatePodAsync("ours");

        await AsyncTestHelpers.WaitUntilAsync(async () => await _host.NodeOfAsync("ours") == "node-a");

        Assert.Null(await _host.NodeOfAsync("custom"));
        Assert.Empty(_host.EventsFor("custom", "FailedScheduling"));
    }

    [Fact]
    public async Task Sync_TaintedNodeUntilTaintRemoved_ThenScheduled()
    {
        var node = await _host.CreateNodeAsync("node-a", taints: new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" }));
        await _host.CreatePodAsync("web");
        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("web", "FailedScheduling").Count == 1);
        Assert.StartsWith("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.",
            _host.EventsFor("web", "FailedScheduling")[0].Message, StringComparison.Ordinal);

        node = await _host.Api.GetAsync(KindRegistry.Nodes, null, "node-a");
        node.SetPath(new JsonArray(), "spec", "taints");
        await _host.Api.UpdateAsync(KindRegistry.Nodes, null, node);

        await _host.WaitWhileClockRunsAsync(async () => await _host.NodeOfAsync("web") == "node-a");
    }
}

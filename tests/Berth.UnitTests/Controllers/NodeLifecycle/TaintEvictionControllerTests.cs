using System.Text.Json.Nodes;
using Berth.Controllers.NodeLifecycle;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using k8s.Models;
using static Berth.UnitTests.Controllers.NodeLifecycle.LifecycleTestHost;

namespace Berth.UnitTests.Controllers.NodeLifecycle;

public sealed class TaintEvictionControllerTests : IAsyncDisposable
{
    private readonly LifecycleTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static JsonArray NoExecute(string key) => new(new JsonObject { ["key"] = key, ["effect"] = "NoExecute" });

    private async Task<bool> TerminatingAsync(string pod) => (await _host.PodAsync(pod)).GetString("metadata", "deletionTimestamp") is not null;

    private async Task SetTaintsAsync(string node, JsonArray taints)
    {
        var obj = await _host.NodeAsync(node);
        obj.SetPath(taints, "spec", "taints");
        await _host.Api.UpdateAsync(KindRegistry.Nodes, null, obj);
    }

    [Fact]
    public async Task Sync_UntoleratedNoExecuteTaint_DeletesPodAtOnceWithDisruptionTarget()
    {
        await _host.CreateHealthyNodeAsync("node-a", NoExecute("evict-me"));
        await _host.CreateRunningPodAsync("web", "node-a");
        await _host.CreateRunningPodAsync("tolerant", "node-a", new JsonArray(new JsonObject { ["key"] = "evict-me", ["operator"] = "Exists", ["effect"] = "NoExecute" }));

        _host.Run(lifecycle: false);

        await AsyncTestHelpers.WaitUntilAsync(() => TerminatingAsync("web"));
        var pod = await _host.PodAsync("web");
        var target = ConditionOf(pod, "DisruptionTarget")!;
        Assert.Equal(("True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint"),
            (target.GetString("status"), target.GetString("reason"), target.GetString("message")));
        await _host.Events.WaitForAsync(e => e is { Reason: "TaintManagerEviction", Message: "Marking for deletion Pod default/web" });
        Assert.False(await TerminatingAsync("tolerant"));
    }

    [Fact]
    public async Task Sync_PodOnUntaintedNode_KeepsNoPodModel()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await _host.CreateHealthyNodeAsync("node-b", NoExecute("evict-me"));
        await _host.CreateRunningPodAsync("a-web", "node-a");
        await _host.CreateRunningPodAsync("z-evicted", "node-b");

        _host.Run(lifecycle: false);

        // One worker, queued in key order: a-web was synced before z-evicted was evicted.
        await AsyncTestHelpers.WaitUntilAsync(() => TerminatingAsync("z-evicted"));
        var pods = _host.Informers.InformerFor(KindRegistry.Pods);
        var models = pods.TypedLister<V1Pod>();
        Assert.False(models.HasModel(pods.Lister.Get("default", "a-web")!));
        Assert.False(await TerminatingAsync("a-web"));
    }

    [Fact]
    public async Task Sync_DefaultTolerationSeconds_DeletedAfterThreeHundredSeconds()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await _host.CreateRunningPodAsync("web", "node-a");
        _host.Run(lifecycle: false);
        await SetTaintsAsync("node-a", NoExecute("node.kubernetes.io/unreachable"));
        await _host.WaitForScheduledEvictionAsync("web");

        _host.Time.Advance(TimeSpan.FromSeconds(299));
        await Task.Delay(100);
        Assert.False(await TerminatingAsync("web"));
        _host.Time.Advance(TimeSpan.FromSeconds(1));

        await AsyncTestHelpers.WaitUntilAsync(() => TerminatingAsync("web"));
    }

    [Fact]
    public async Task Sync_TaintRemovedBeforeDeadline_CancelsEviction()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await _host.CreateRunningPodAsync("web", "node-a");
        _host.Run(lifecycle: false);
        await SetTaintsAsync("node-a", NoExecute("node.kubernetes.io/not-ready"));
        await _host.WaitForScheduledEvictionAsync("web");
        _host.Time.Advance(TimeSpan.FromSeconds(100));

        await SetTaintsAsync("node-a", []);
        await AsyncTestHelpers.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Message == "Cancelling deletion of Pod default/web"));
        _host.Time.Advance(TimeSpan.FromSeconds(300));
        await Task.Delay(100);

        Assert.False(await TerminatingAsync("web"));
    }

    [Fact]
    public async Task Sync_NodeUnreachable_PodsEvictedAfterGracePlusTolerationEndToEnd()
    {
        await _host.CreateHealthyNodeAsync("node-a");
        await _host.CreateRunningPodAsync("web", "node-a");
        await _host.CreateRunningPodAsync("forever", "node-a", new JsonArray(new JsonObject { ["operator"] = "Exists" }));
        _host.Run();
        await AsyncTestHelpers.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Reason == "RegisteredNode"));

        _host.Time.Advance(TimeSpan.FromSeconds(41));
        await AsyncTestHelpers.WaitUntilAsync(async () => TaintsOf(await _host.NodeAsync("node-a")).Count == 2);
        await _host.WaitForScheduledEvictionAsync("web");
        _host.Time.Advance(TimeSpan.FromSeconds(300));

        await AsyncTestHelpers.WaitUntilAsync(() => TerminatingAsync("web"));
        Assert.False(await TerminatingAsync("forever"));
    }

    [Fact]
    public void MinTolerationTime_Tolerations_ShortestSecondsOrForever()
    {
        V1Toleration T(long? seconds) => new() { OperatorProperty = "Exists", TolerationSeconds = seconds };

        Assert.Equal(TimeSpan.FromSeconds(30), TaintEvictionController.MinTolerationTime([T(300), T(30), T(null)]));
        Assert.Null(TaintEvictionController.MinTolerationTime([T(null)]));
        Assert.Equal(TimeSpan.Zero, TaintEvictionController.MinTolerationTime([T(-5)]));
        Assert.Equal(TimeSpan.Zero, TaintEvictionController.MinTolerationTime([]));
    }
}

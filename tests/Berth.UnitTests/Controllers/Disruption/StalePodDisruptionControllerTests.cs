using System.Text.Json.Nodes;
using Berth.Controllers.Disruption;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.ReplicaSet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.ReplicaSet.WorkloadObjects;

namespace Berth.UnitTests.Controllers.Disruption;

public sealed class StalePodDisruptionControllerTests : IAsyncDisposable
{
    private const string Ns = WorkloadTestHost.Ns;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 5, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _stop = new();
    private readonly WorkloadTestHost _host;
    private readonly StalePodDisruptionController _controller;
    private readonly Task _run;

    public StalePodDisruptionControllerTests()
    {
        _host = new WorkloadTestHost(_clock);
        _controller = new StalePodDisruptionController(_host.Informers, _host.Api, _host.Time, NullLogger<StalePodDisruptionController>.Instance);
        _host.Run(replicaSets: false);
        _run = _controller.RunAsync(1, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.DefaultTimeout();
        await _host.DisposeAsync();
        _controller.Dispose();
        _stop.Dispose();
    }

    private async Task CreateMarkedPodAsync(string name, string reason)
    {
        var pod = await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod(name, "web"));
        pod.SetPath("Running", "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject
        {
            ["type"] = "DisruptionTarget", ["status"] = "True", ["reason"] = reason, ["lastTransitionTime"] = "2026-11-28T05:00:00Z",
        }), "status", "conditions");
        await _host.Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
    }

    private async Task<string?> ConditionStatusAsync(string name) =>
        (await _host.GetAsync(KindRegistry.Pods, name)).GetArray("status", "conditions")!.OfType<JsonObject>()
            .Single(c => c.GetString("type") == "DisruptionTarget").GetString("status");

    [Fact]
    public async Task Sync_EvictedPodNotDeletedWithinTimeout_ConditionResetToFalse()
    {
        await CreateMarkedPodAsync("evicted", "EvictionByEvictionAPI");
        await CreateMarkedPodAsync("by-kubelet", "TerminationByKubelet");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(200);
        Assert.Equal("True", await ConditionStatusAsync("evicted"));

        _clock.Advance(TimeSpan.FromMinutes(1));

        await _host.WaitUntilAsync(async () => await ConditionStatusAsync("evicted") == "False", "the stale condition is reset");
        Assert.Equal("True", await ConditionStatusAsync("by-kubelet"));
    }
}

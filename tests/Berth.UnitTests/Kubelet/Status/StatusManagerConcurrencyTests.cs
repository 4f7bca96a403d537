using Berth.Kubelet.Status;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>A round writes different pods' statuses concurrently, up to the configured bound.</summary>
public sealed class StatusManagerConcurrencyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeApiClient _api;
    private readonly GatedPatchApiClient _gated;
    private readonly Dictionary<string, V1Pod> _pods = [];

    public StatusManagerConcurrencyTests()
    {
        _api = new FakeApiClient(_time);
        _gated = new GatedPatchApiClient(_api);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            var pod = ApiJson.ToModel<V1Pod>(_api.Seed(KindRegistry.Pods, TestPods.Pod(name).ToJson()));
            _pods[pod.Metadata.Uid] = pod;
        }
    }

    [Fact]
    public async Task SyncBatch_FivePodsBoundThree_ThreeWritesOverlapAndAllLand()
    {
        var manager = Manager(maxConcurrentWrites: 3);
        foreach (var pod in _pods.Values)
        {
            manager.SetPodStatus(pod, Running());
        }

        var round = manager.SyncBatchAsync(false, CancellationToken.None);
        await AsyncTestHelpers.WaitUntilAsync(() => _gated.InFlight == 3);
        Assert.False(round.IsCompleted);
        _gated.Release();

        Assert.Equal(5, await round.DefaultTimeout());
        Assert.Equal(3, _gated.MaxInFlight);
        foreach (var name in _pods.Values.Select(p => p.Metadata.Name))
        {
            var api = ApiJson.ToModel<V1Pod>(await _api.GetAsync(KindRegistry.Pods, "default", name));
            Assert.Equal("Running", api.Status.Phase);
        }
    }

    [Fact]
    public async Task SyncBatch_BoundOne_WritesOneAtATime()
    {
        var manager = Manager(maxConcurrentWrites: 1);
        foreach (var pod in _pods.Values)
        {
            manager.SetPodStatus(pod, Running());
        }

        var round = manager.SyncBatchAsync(false, CancellationToken.None);
        await AsyncTestHelpers.WaitUntilAsync(() => _gated.InFlight == 1);
        _gated.Release();

        Assert.Equal(5, await round.DefaultTimeout());
        Assert.Equal(1, _gated.MaxInFlight);
        Assert.Equal(5, _api.CountActions("patch"));
    }

    private StatusManager Manager(int maxConcurrentWrites)
    {
        var manager = new StatusManager(_gated, _time, NullLogger<StatusManager>.Instance, TimeSpan.FromSeconds(10),
            maxConcurrentWrites: maxConcurrentWrites);
        manager.Bind(uid => _pods.GetValueOrDefault(uid), _ => true);
        return manager;
    }

    private static V1PodStatus Running() => new()
    {
        Phase = "Running",
        Conditions = [PodConditions.Condition("Ready", true), PodConditions.Condition("PodScheduled", true)],
    };
}

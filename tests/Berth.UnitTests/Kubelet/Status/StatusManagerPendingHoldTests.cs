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

/// <summary>The first status of a pod whose containers are being created is held back for a short window.</summary>
public sealed class StatusManagerPendingHoldTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);
    private readonly TimerCountingTime _time = new();
    private readonly FakeApiClient _api;
    private readonly StatusManager _manager;
    private V1Pod _pod;

    public StatusManagerPendingHoldTests()
    {
        _api = new FakeApiClient(_time);
        _pod = ApiJson.ToModel<V1Pod>(_api.Seed(KindRegistry.Pods, TestPods.Pod().ToJson()));
        _manager = new StatusManager(_api, _time, NullLogger<StatusManager>.Instance, TimeSpan.FromSeconds(10), Hold);
        _manager.Bind(_ => _pod, _ => true);
    }

    [Fact]
    public async Task SyncBatch_CreatingThenRunningWithinHold_OnePatchWithRunning()
    {
        _manager.SetPodStatus(_pod, Creating());
        Assert.Equal(0, await _manager.SyncBatchAsync(false, CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _manager.SetPodStatus(_pod, Running());
        await _manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(1, _api.CountActions("patch"));
        Assert.Equal("Running", Api().Status.Phase);
    }

    [Fact]
    public async Task SyncBatch_CreatingPastHold_WrittenAsContainerCreating()
    {
        _manager.SetPodStatus(_pod, Creating());
        await _manager.SyncBatchAsync(false, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        _manager.SetPodStatus(_pod, Creating(message: "still"));
        await _manager.SyncBatchAsync(false, CancellationToken.None);
        Assert.Equal(0, _api.CountActions("patch"));

        _time.Advance(TimeSpan.FromMilliseconds(400));
        await _manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(1, _api.CountActions("patch"));
        Assert.Equal("ContainerCreating", Api().Status.ContainerStatuses.Single().State.Waiting.Reason);
    }

    [Fact]
    public async Task SyncBatch_CreatingAfterAWrite_NotHeld()
    {
        _manager.SetPodStatus(_pod, Running());
        await _manager.SyncBatchAsync(false, CancellationToken.None);
        _pod = Api(); // The watch delivered the write.
        _manager.SetPodStatus(_pod, Creating());
        await _manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(2, _api.CountActions("patch"));
    }

    [Fact]
    public async Task SyncBatch_CreatingWhileDeleting_NotHeld()
    {
        _pod.Metadata.DeletionTimestamp = _time.GetUtcNow().UtcDateTime;
        _manager.SetPodStatus(_pod, Creating());
        await _manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(1, _api.CountActions("patch"));
    }

    [Fact]
    public async Task RunAsync_HoldEnds_WritesWithoutAnotherSignal()
    {
        using var stop = new CancellationTokenSource();
        var loop = _manager.RunAsync(stop.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => _time.Timers == 1, because: "the loop waits for the resync");
        _manager.SetPodStatus(_pod, Creating());
        await AsyncTestHelpers.WaitUntilAsync(() => _time.Timers == 2, because: "the loop holds the status and waits for the hold's end");
        Assert.Equal(0, _api.CountActions("patch"));

        _time.Advance(Hold);
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("patch") == 1, because: "the held status is written once its hold ends");
        stop.Cancel();
        await loop.DefaultTimeout();
        Assert.Equal("Pending", Api().Status.Phase);
    }

    private V1Pod Api() => ApiJson.ToModel<V1Pod>(_api.GetAsync(KindRegistry.Pods, "default", "web").GetAwaiter().GetResult());

    private static V1PodStatus Creating(string? message = null) => new()
    {
        Phase = "Pending",
        Conditions = [PodConditions.Condition("Ready", false, "ContainersNotReady", message), PodConditions.Condition("PodScheduled", true)],
        ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "app", Ready = false,
                State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
            },
        ],
    };

    private static V1PodStatus Running() => new()
    {
        Phase = "Running",
        Conditions = [PodConditions.Condition("Ready", true), PodConditions.Condition("PodScheduled", true)],
        ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "app", Ready = true,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) } },
            },
        ],
    };

    /// <summary>A fake clock that counts the timers created on it (each timed wait of the loop creates one).</summary>
    private sealed class TimerCountingTime() : FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}

using Berth.Kubelet;
using Berth.Kubelet.Container;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet;

/// <summary>The pod-worker state machine (§2.1, §2.2) against a recording syncer.</summary>
public sealed class PodWorkersTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingPodSyncer _syncer = new();
    private readonly PodWorkers _workers;

    public PodWorkersTests()
    {
        _workers = new PodWorkers(_syncer, _time, new KubeletOptions { NodeName = TestPods.Node }, NullLogger<PodWorkers>.Instance);
    }

    public async ValueTask DisposeAsync() => await _workers.StopAsync().DefaultTimeout();

    [Fact]
    public async Task UpdatePod_DeletedPod_SyncThenTerminatingThenTerminatedThenFinished()
    {
        var pod = TestPods.Pod();
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, pod));
        await WaitForCallsAsync("SyncPod:Create");

        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, pod.Deleting(20, T0)));
        await AsyncTestHelpers.WaitUntilAsync(() => _workers.IsPodFinished(pod.Metadata.Uid));

        Assert.Equal(["SyncPod:Create", "Terminating:20", "Terminated"], _syncer.Calls);
        Assert.False(_workers.CouldHaveRunningContainers(pod.Metadata.Uid));
    }

    [Fact]
    public async Task UpdatePod_AfterFinished_NeverSyncsAgain()
    {
        var pod = TestPods.Pod().Deleting(5, T0);
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, pod));
        await AsyncTestHelpers.WaitUntilAsync(() => _workers.IsPodFinished(pod.Metadata.Uid));

        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, WithUid(TestPods.Pod(), pod.Metadata.Uid)));
        _workers.SyncKnownPods(new HashSet<string>());
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, WithUid(TestPods.Pod(), pod.Metadata.Uid)));
        await FakeClock.SettleAsync();

        Assert.Equal(["Terminating:5", "Terminated"], _syncer.Calls);
        Assert.Null(_workers.GetState(pod.Metadata.Uid));
        Assert.True(_workers.IsPodKnownTerminated(pod.Metadata.Uid));
    }

    [Fact]
    public async Task UpdatePod_SyncPodReportsTerminal_MovesToTerminationWithSpecGrace()
    {
        _syncer.OnSyncPod = (_, _) => Task.FromResult(PodSyncResult.Terminal);
        var pod = TestPods.Pod().WithGrace(7);

        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, pod));
        await AsyncTestHelpers.WaitUntilAsync(() => _workers.IsPodFinished(pod.Metadata.Uid));

        Assert.Equal(["SyncPod:Create", "Terminating:7", "Terminated"], _syncer.Calls);
    }

    [Fact]
    public async Task UpdatePod_ShorterGraceWhileTerminating_ShortensInFlightOverride()
    {
        var release = new TaskCompletionSource();
        _syncer.OnTerminating = (_, _, _) => release.Task;
        var pod = TestPods.Pod();
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, pod.Deleting(60, T0)));
        await WaitForCallsAsync("Terminating:60");
        var grace = _syncer.LastGrace!;
        var shortened = grace.Shortened;

        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, pod.Deleting(10, T0)));
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, pod.Deleting(30, T0)));
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, pod, KillPodOptions: new KillPodOptions(GracePeriodSecondsOverride: 120)));

        Assert.True(shortened.IsCompleted);
        Assert.Equal(10, grace.Seconds);
        release.SetResult();
        await AsyncTestHelpers.WaitUntilAsync(() => _workers.IsPodFinished(pod.Metadata.Uid));
        Assert.Equal(1, _syncer.Count("Terminating"));
    }

    [Fact]
    public async Task UpdatePod_DeletionDuringSyncPod_CancelsSyncAndTerminates()
    {
        _syncer.OnSyncPod = async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return PodSyncResult.Running;
        };
        var pod = TestPods.Pod();
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, pod));
        await WaitForCallsAsync("SyncPod:Create");

        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, pod.Deleting(3, T0)));
        await AsyncTestHelpers.WaitUntilAsync(() => _workers.IsPodFinished(pod.Metadata.Uid));

        Assert.Equal(["SyncPod:Create", "Terminating:3", "Terminated"], _syncer.Calls);
    }

    [Fact]
    public async Task UpdatePod_ManyUpdatesWhileBusy_CoalescedIntoOneSyncWithNewestPod()
    {
        var release = new TaskCompletionSource();
        var first = true;
        _syncer.OnSyncPod = async (_, _) =>
        {
            if (first)
            {
                first = false;
                await release.Task;
            }

            return PodSyncResult.Running;
        };
        var pod = TestPods.Pod();
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, pod));
        await WaitForCallsAsync("SyncPod:Create");
        for (var i = 2; i <= 6; i++)
        {
            var version = WithUid(TestPods.Pod(), pod.Metadata.Uid);
            version.Metadata.ResourceVersion = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Update, version));
        }

        release.SetResult();
        await WaitForCallsAsync("SyncPod:Create", "SyncPod:Update");
        await FakeClock.SettleAsync();

        Assert.Equal(2, _syncer.Count("SyncPod"));
        Assert.Equal("6", _syncer.LastSyncedPod!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task WorkerLoop_NoEvents_ResyncsAfterSyncFrequencyOrRetryAfter()
    {
        _syncer.OnSyncPod = (_, _) => Task.FromResult(new PodSyncResult(false, TimeSpan.FromSeconds(4)));
        var pod = TestPods.Pod();
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, pod));
        await WaitForCallsAsync("SyncPod:Create");

        await _time.AdvanceAsync(TimeSpan.FromSeconds(3.5));
        Assert.Equal(1, _syncer.Count("SyncPod"));
        await _time.AdvanceUntilAsync(() => _syncer.Count("SyncPod") == 2, TimeSpan.FromSeconds(1));
        Assert.Equal("SyncPod:Sync", _syncer.Calls[1]);
    }

    [Fact]
    public async Task WorkerLoop_NoEvents_ResyncsAfterOneMinuteAsUpstream()
    {
        _syncer.OnSyncPod = (_, _) => Task.FromResult(PodSyncResult.Running);
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, TestPods.Pod()));
        await WaitForCallsAsync("SyncPod:Create");

        await _time.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Equal(1, _syncer.Count("SyncPod"));
        await _time.AdvanceUntilAsync(() => _syncer.Count("SyncPod") == 2, TimeSpan.FromSeconds(2));
        Assert.Equal("SyncPod:Sync", _syncer.Calls[1]);
    }

    [Fact]
    public async Task WorkerLoop_ContainerStartFailed_RetriedAfterErrorBackOffNotResync()
    {
        _syncer.OnSyncPod = (_, _) => Task.FromResult(new PodSyncResult(false, StartFailed: true));
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, TestPods.Pod()));
        await WaitForCallsAsync("SyncPod:Create");

        await _time.AdvanceAsync(TimeSpan.FromSeconds(9.5));
        Assert.Equal(1, _syncer.Count("SyncPod"));
        await _time.AdvanceUntilAsync(() => _syncer.Count("SyncPod") == 2, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task WorkerLoop_SyncError_RetriedAfterBackOff()
    {
        var attempts = 0;
        _syncer.OnSyncPod = (_, _) => ++attempts == 1 ? throw new InvalidOperationException("boom") : Task.FromResult(PodSyncResult.Running);
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Create, TestPods.Pod()));
        await WaitForCallsAsync("SyncPod:Create");

        await _time.AdvanceAsync(TimeSpan.FromSeconds(9.5));
        Assert.Equal(1, attempts);
        await _time.AdvanceUntilAsync(() => attempts == 2, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task UpdatePod_KillWithCompletion_CompletedAfterContainersStopped()
    {
        var release = new TaskCompletionSource();
        _syncer.OnTerminating = (_, _, _) => release.Task;
        var pod = TestPods.Pod();
        var completed = new TaskCompletionSource();
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, pod, KillPodOptions: new KillPodOptions(5, null, completed)));
        await WaitForCallsAsync("Terminating:5");

        Assert.False(completed.Task.IsCompleted);
        release.SetResult();
        await completed.Task.DefaultTimeout();
    }

    [Fact]
    public async Task UpdatePod_RuntimePodOnly_KilledWithoutTerminatedSync()
    {
        var runtimePod = PodRuntimeStatus.Empty("orphan-uid");
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Kill, null, runtimePod));
        await AsyncTestHelpers.WaitUntilAsync(() => _workers.IsPodFinished("orphan-uid"));

        Assert.Equal(["RuntimePod"], _syncer.Calls);
    }

    [Fact]
    public async Task UpdatePod_RuntimePodNonKill_Ignored()
    {
        _workers.UpdatePod(new UpdatePodOptions(SyncPodType.Sync, null, PodRuntimeStatus.Empty("x")));
        await FakeClock.SettleAsync();

        Assert.Empty(_syncer.Calls);
        Assert.Null(_workers.GetState("x"));
    }

    private static V1Pod WithUid(V1Pod pod, string uid)
    {
        pod.Metadata.Uid = uid;
        return pod;
    }

    private Task WaitForCallsAsync(params string[] calls) =>
        AsyncTestHelpers.WaitUntilAsync(() => _syncer.Calls.Take(calls.Length).SequenceEqual(calls), because: string.Join(",", calls));
}

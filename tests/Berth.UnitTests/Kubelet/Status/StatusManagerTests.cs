using Berth.Kubelet.Container;
using Berth.Kubelet.Status;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>Versioned cache, write-on-change, transition times, terminal phase, final delete (status_manager.go).</summary>
public sealed class StatusManagerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeApiClient _api;
    private readonly StatusManager _manager;
    private V1Pod _pod;
    private bool _running = true;

    public StatusManagerTests()
    {
        _api = new FakeApiClient(_time);
        _pod = ApiJson.ToModel<V1Pod>(_api.Seed(KindRegistry.Pods, TestPods.Pod().ToJson()));
        _manager = new StatusManager(_api, _time, NullLogger<StatusManager>.Instance, TimeSpan.FromSeconds(10));
        _manager.Bind(_ => _pod, _ => _running);
    }

    [Fact]
    public async Task SetPodStatus_SameStatusTwice_OnePatch()
    {
        _manager.SetPodStatus(_pod, Status("Running", ready: true));
        await _manager.SyncBatchAsync(false, CancellationToken.None);
        _manager.SetPodStatus(_pod, Status("Running", ready: true));
        await _manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(1, _api.CountActions("patch"));
        Assert.Equal("Running", Api().Status.Phase);
    }

    [Fact]
    public void RemoveOrphanedStatuses_PodAdmittedAfterTheSnapshot_KeepsItsStatus()
    {
        var orphan = ApiJson.ToModel<V1Pod>(_api.Seed(KindRegistry.Pods, TestPods.Pod("orphan").ToJson()));
        _manager.SetPodStatus(orphan, Status("Running", ready: true));
        var candidates = _manager.CachedPodUids();
        // Admitted while housekeeping read the pod sets (which do not have it yet).
        _manager.SetPodStatus(_pod, Status("Running", ready: true));

        _manager.RemoveOrphanedStatuses(new HashSet<string>(), candidates);

        Assert.True(_manager.TryGetPodStatus(PodSpecs.Uid(_pod), out _));
        Assert.False(_manager.TryGetPodStatus(PodSpecs.Uid(orphan), out _));
    }

    [Fact]
    public void SetPodStatus_ConditionUnchanged_KeepsTransitionTime()
    {
        _manager.SetPodStatus(_pod, Status("Running", ready: false));
        var first = Cached().Conditions.Single(c => c.Type == "Ready").LastTransitionTime;
        _time.Advance(TimeSpan.FromSeconds(30));
        _manager.SetPodStatus(_pod, Status("Running", ready: false, message: "x"));
        Assert.Equal(first, Cached().Conditions.Single(c => c.Type == "Ready").LastTransitionTime);

        _manager.SetPodStatus(_pod, Status("Running", ready: true));
        Assert.Equal(first!.Value.AddSeconds(30), Cached().Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.NotNull(Cached().StartTime);
    }

    [Fact]
    public void SetPodStatus_AfterTerminal_PhaseNeverRegresses()
    {
        _manager.SetPodStatus(_pod, Status("Succeeded", ready: false));
        _manager.SetPodStatus(_pod, Status("Running", ready: true));

        Assert.Equal("Succeeded", Cached().Phase);
    }

    [Fact]
    public async Task SyncBatch_TerminalWhileContainersMayRun_PhaseHeldBack()
    {
        _manager.SetPodStatus(_pod, Status("Failed", ready: false));
        await _manager.SyncBatchAsync(false, CancellationToken.None);
        Assert.Equal("Pending", Api().Status.Phase);

        _running = false;
        _manager.SetPodStatus(_pod, Status("Failed", ready: false, message: "again"));
        await _manager.SyncBatchAsync(false, CancellationToken.None);
        Assert.Equal("Failed", Api().Status.Phase);
    }

    [Fact]
    public async Task TerminatePod_DeletingAndTerminalInApi_DeletesWithGraceZeroAndUid()
    {
        _running = false;
        await _api.PatchAsync(KindRegistry.Pods, "default", "web", Berth.Registry.PatchType.Merge, new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["finalizers"] = new System.Text.Json.Nodes.JsonArray(DeleteRecordingApiClient.HoldFinalizer),
                ["deletionTimestamp"] = "2025-01-01T00:00:30Z",
                ["deletionGracePeriodSeconds"] = 30,
            },
        });
        _pod = Api();
        var recording = new DeleteRecordingApiClient(_api);
        var manager = new StatusManager(recording, _time, NullLogger<StatusManager>.Instance, TimeSpan.FromSeconds(10));
        manager.Bind(_ => _pod, _ => _running);
        manager.SetPodStatus(_pod, Status("Running", ready: true));

        manager.TerminatePod(_pod);
        Assert.True(manager.TryGetPodStatus(_pod.Metadata.Uid, out var terminated));
        Assert.Equal("Failed", terminated.Phase);
        Assert.Equal(("ContainerStatusUnknown", 137), (terminated.ContainerStatuses.Single().State.Terminated.Reason, terminated.ContainerStatuses.Single().State.Terminated.ExitCode));
        await manager.SyncBatchAsync(false, CancellationToken.None);

        var (_, options) = Assert.Single(recording.Deletes);
        Assert.Equal((0L, _pod.Metadata.Uid), (options!.GracePeriodSeconds, options.PreconditionUid));
        Assert.False(manager.TryGetPodStatus(_pod.Metadata.Uid, out _));
        await Assert.ThrowsAsync<Berth.Machinery.Errors.ApiException>(() => _api.GetAsync(KindRegistry.Pods, "default", "web"));
    }

    private V1PodStatus Cached() => _manager.TryGetPodStatus(_pod.Metadata.Uid, out var status) ? status : throw new InvalidOperationException("no status");

    private V1Pod Api() => ApiJson.ToModel<V1Pod>(_api.GetAsync(KindRegistry.Pods, "default", "web").GetAwaiter().GetResult());

    private static V1PodStatus Status(string phase, bool ready, string? message = null) => new()
    {
        Phase = phase,
        Conditions =
        [
            PodConditions.Condition("Ready", ready, ready ? null : "ContainersNotReady", message),
            PodConditions.Condition("ContainersReady", ready),
            PodConditions.Condition("PodScheduled", true),
        ],
        ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "app",
                Ready = ready,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) } },
            },
        ],
    };
}

using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Generic;

/// <summary>Graceful deletion and finalizers: every rule of kubernetes-termination.md §1.2–1.3.</summary>
public sealed class ResourceRegistryDeleteTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new();

    public Task InitializeAsync() => _host.CreateNamespaceAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<DeleteResult> DeletePod(string name, long? grace = null, string? policy = null) =>
        _host.Api.DeleteAsync(KindRegistry.Pods, "default", name, new DeleteOptions(GracePeriodSeconds: grace, PropagationPolicy: policy));

    [Fact]
    public async Task Delete_FirstGraceful_SetsDeletionFieldsAndBumpsGeneration()
    {
        await _host.CreatePodAsync("a", node: "n1");
        var result = await DeletePod("a");
        Assert.False(result.Deleted);
        Assert.Equal("2026-11-27T22:00:30Z", result.Object.GetString("metadata", "deletionTimestamp"));
        Assert.Equal(30, result.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
        Assert.Equal(2, result.Object.GetLong("metadata", "generation"));
        var stored = await _host.Api.GetAsync(KindRegistry.Pods, "default", "a");
        Assert.Equal(result.Object.GetResourceVersion(), stored.GetResourceVersion());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(30L)]
    [InlineData(60L)]
    public async Task Delete_RepeatWithoutShortening_IsNoOp(long? grace)
    {
        await _host.CreatePodAsync("a", node: "n1");
        var first = await DeletePod("a");
        _host.Time.Advance(TimeSpan.FromSeconds(3));
        var revision = _host.Store.CurrentRevision;
        var second = await DeletePod("a", grace);
        Assert.False(second.Deleted);
        Assert.Equal(revision, _host.Store.CurrentRevision);
        Assert.Equal(first.Object.GetString("metadata", "deletionTimestamp"), second.Object.GetString("metadata", "deletionTimestamp"));
        Assert.Equal(30, second.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task Delete_ShorterGrace_MovesTimestampToRequestTimePlusNewGrace()
    {
        await _host.CreatePodAsync("a", node: "n1");
        await DeletePod("a");
        _host.Time.Advance(TimeSpan.FromSeconds(5));
        var result = await DeletePod("a", 10);
        Assert.False(result.Deleted);
        Assert.Equal("2026-11-27T22:00:10Z", result.Object.GetString("metadata", "deletionTimestamp"));
        Assert.Equal(10, result.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
        Assert.Equal(2, result.Object.GetLong("metadata", "generation"));
    }

    [Fact]
    public async Task Delete_ShorterGraceAlreadyElapsed_ClampsToNowWithGraceOne()
    {
        await _host.CreatePodAsync("a", node: "n1");
        await DeletePod("a");
        _host.Time.Advance(TimeSpan.FromSeconds(20));
        var result = await DeletePod("a", 10);
        Assert.False(result.Deleted);
        Assert.Equal("2026-11-27T22:00:20Z", result.Object.GetString("metadata", "deletionTimestamp"));
        Assert.Equal(1, result.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task Delete_GraceZeroOnTerminatingPod_EmitsModifiedThenDeleted()
    {
        await _host.CreatePodAsync("a", node: "n1");
        await DeletePod("a");
        _host.Time.Advance(TimeSpan.FromSeconds(20));
        var events = await WatchDuring(() => DeletePod("a", 0), 2);
        Assert.Equal([ApiWatchEventType.Modified, ApiWatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(0, events[0].Object.GetLong("metadata", "deletionGracePeriodSeconds"));
        Assert.Equal("2026-11-27T22:00:20Z", events[0].Object.GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Delete_UnscheduledPod_DeletesImmediatelyWithModifiedThenDeleted()
    {
        await _host.CreatePodAsync("a");
        DeleteResult? result = null;
        var events = await WatchDuring(async () => result = await DeletePod("a", 60), 2);
        Assert.True(result!.Deleted);
        Assert.Equal([ApiWatchEventType.Modified, ApiWatchEventType.Deleted], events.Select(e => e.Type));
        await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetAsync(KindRegistry.Pods, "default", "a"));
    }

    [Fact]
    public async Task Delete_NegativeGrace_TreatedAsOne()
    {
        await _host.CreatePodAsync("a", node: "n1");
        var result = await DeletePod("a", -5);
        Assert.Equal(1, result.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
        Assert.Equal("2026-11-27T22:00:01Z", result.Object.GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Delete_NonGracefulWithFinalizers_MarksOnlyOnce()
    {
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", RegistryTestHost.ConfigMap("cm", "example.com/hold"));
        var result = await _host.Api.DeleteAsync(KindRegistry.ConfigMaps, "default", "cm");
        Assert.False(result.Deleted);
        Assert.Equal("2026-11-27T22:00:00Z", result.Object.GetString("metadata", "deletionTimestamp"));
        Assert.Equal(0, result.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
        var revision = _host.Store.CurrentRevision;
        _host.Time.Advance(TimeSpan.FromSeconds(10));
        var again = await _host.Api.DeleteAsync(KindRegistry.ConfigMaps, "default", "cm");
        Assert.False(again.Deleted);
        Assert.Equal(revision, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Delete_GracefulKindWithFinalizersAndGraceZero_OnlyMarks()
    {
        var pod = RegistryTestHost.Pod("a");
        pod.Metadata()["finalizers"] = new System.Text.Json.Nodes.JsonArray("example.com/hold");
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        var events = await WatchDuring(() => DeletePod("a"), 1);
        Assert.Equal(ApiWatchEventType.Modified, Assert.Single(events).Type);
        var stored = await _host.Api.GetAsync(KindRegistry.Pods, "default", "a");
        Assert.Equal(0, stored.GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Theory]
    [InlineData("Orphan", "orphan")]
    [InlineData("Foreground", "foregroundDeletion")]
    public async Task Delete_PropagationPolicy_AddsGarbageCollectorFinalizer(string policy, string finalizer)
    {
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", RegistryTestHost.ConfigMap("cm"));
        var result = await _host.Api.DeleteAsync(KindRegistry.ConfigMaps, "default", "cm", new DeleteOptions(PropagationPolicy: policy));
        Assert.False(result.Deleted);
        Assert.Equal([finalizer], result.Object.GetArray("metadata", "finalizers")!.Select(n => n!.GetValue<string>()));
        Assert.NotNull(result.Object.GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Delete_BackgroundWithoutFinalizers_DeletesAndReturnsLastState()
    {
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", RegistryTestHost.ConfigMap("cm"));
        var result = await _host.Api.DeleteAsync(KindRegistry.ConfigMaps, "default", "cm", new DeleteOptions(PropagationPolicy: "Background"));
        Assert.True(result.Deleted);
        Assert.Equal("cm", result.Object.GetName());
        Assert.Equal(_host.Store.CurrentRevision.ToString(), result.Object.GetResourceVersion());
    }

    [Fact]
    public async Task Delete_UidPreconditionMismatch_Returns409WithUpstreamText()
    {
        var pod = await _host.CreatePodAsync("a", node: "n1");
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a", new DeleteOptions(PreconditionUid: "x")));
        Assert.Equal(409, e.Code);
        Assert.Equal(
            $"Operation cannot be fulfilled on Pod \"a\": the UID in the precondition (x) does not match the UID in record ({pod.GetUid()}). " +
            "The object might have been deleted and then recreated", e.Message);
    }

    [Fact]
    public async Task Delete_ResourceVersionPreconditionMismatch_Returns409()
    {
        await _host.CreatePodAsync("a", node: "n1");
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a", new DeleteOptions(PreconditionResourceVersion: "1")));
        Assert.Equal(409, e.Code);
        Assert.Contains("the ResourceVersion in the precondition (1) does not match", e.Message);
    }

    [Fact]
    public async Task Delete_UnknownPropagationPolicy_Returns422()
    {
        await _host.CreatePodAsync("a");
        var e = await Assert.ThrowsAsync<ApiException>(() => DeletePod("a", policy: "Sometimes"));
        Assert.Equal(422, e.Code);
    }

    [Fact]
    public async Task Delete_DryRun_LeavesObjectUntouched()
    {
        var pod = await _host.CreatePodAsync("a");
        var result = await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a", new DeleteOptions(DryRun: true));
        Assert.True(result.Deleted);
        var stored = await _host.Api.GetAsync(KindRegistry.Pods, "default", "a");
        Assert.Equal(pod.GetResourceVersion(), stored.GetResourceVersion());
    }

    [Fact]
    public async Task Delete_Missing_Returns404()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => DeletePod("nothere"));
        Assert.Equal("pods \"nothere\" not found", e.Message);
    }

    /// <summary>Runs <paramref name="action"/> with a pod watch open from the current revision and collects <paramref name="count"/> events.</summary>
    private async Task<List<ApiWatchEvent>> WatchDuring(Func<Task> action, int count)
    {
        using var cts = new CancellationTokenSource();
        var options = new ListOptions(ResourceVersion: _host.Store.CurrentRevision.ToString());
        var enumerator = _host.Api.WatchAsync(KindRegistry.Pods, "default", options, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = enumerator.MoveNextAsync().AsTask();
        await action();
        var events = new List<ApiWatchEvent>();
        var next = first;
        while (events.Count < count && await next.DefaultTimeout())
        {
            events.Add(enumerator.Current);
            if (events.Count < count)
            {
                next = enumerator.MoveNextAsync().AsTask();
            }
        }
        await cts.CancelAsync();
        await enumerator.DisposeAsync();
        return events;
    }
}

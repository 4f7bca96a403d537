using System.Text.Json.Nodes;
using Berth.Kubelet.Status;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>
/// A status write merges against the pod manager's copy and patches with its resourceVersion as a precondition, reading
/// the pod only when that copy is behind or would change nothing; writes go out oldest first.
/// </summary>
public sealed class StatusManagerPodCopyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeApiClient _api;
    private readonly Dictionary<string, V1Pod> _copies = [];

    public StatusManagerPodCopyTests()
    {
        _api = new FakeApiClient(_time);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            _copies[name] = ApiJson.ToModel<V1Pod>(_api.Seed(KindRegistry.Pods, TestPods.Pod(name).ToJson()));
        }
    }

    [Fact]
    public async Task SyncBatch_PodCopyCurrent_PatchesWithoutReading()
    {
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());

        await manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal((0, 1), (_api.CountActions("get"), _api.CountActions("patch")));
        Assert.Equal("Running", Api("a").Status.Phase);
    }

    [Fact]
    public async Task SyncBatch_PodChangedSinceTheCopy_ConflictThenReadsAndKeepsTheOtherWritersCondition()
    {
        await _api.PatchAsync(KindRegistry.Pods, "default", "a", PatchType.Merge, new JsonObject
        {
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "DisruptionTarget", ["status"] = "True" }) },
        }, "status");
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());

        await manager.SyncBatchAsync(false, CancellationToken.None);

        // Patches: the set-up's, the one refused (409), the one after the read.
        Assert.Equal((1, 3), (_api.CountActions("get"), _api.CountActions("patch")));
        var status = Api("a").Status;
        Assert.Equal("Running", status.Phase);
        Assert.Contains(status.Conditions, c => c.Type == "DisruptionTarget");
        Assert.Contains(status.Conditions, c => c.Type == "Ready" && c.Status == "True");
    }

    [Fact]
    public async Task SyncBatch_CopyHasKubeletFieldTheNewStatusLacks_FieldRemoved()
    {
        var patched = await _api.PatchAsync(KindRegistry.Pods, "default", "a", PatchType.Merge, new JsonObject
        {
            ["status"] = new JsonObject { ["message"] = "old", ["reason"] = "Old" },
        }, "status");
        _copies["a"] = ApiJson.ToModel<V1Pod>(patched);
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());

        await manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(0, _api.CountActions("get"));
        var status = Api("a").Status;
        Assert.Equal(("Running", null, null), (status.Phase, status.Message, status.Reason));
    }

    [Fact]
    public async Task SyncBatch_CopyAlreadyShowsTheStatus_ReadsTheApiAndWritesWhatDiffers()
    {
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());
        Assert.True(manager.TryGetPodStatus(_copies["a"].Metadata.Uid, out var cached));
        var copy = ApiJson.ToModel<V1Pod>(ApiJson.FromModel(_copies["a"]));
        copy.Status = cached;
        _copies["a"] = copy;

        await manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal((1, 1), (_api.CountActions("get"), _api.CountActions("patch")));
        Assert.Equal("Running", Api("a").Status.Phase);
    }

    [Fact]
    public async Task SyncBatch_PodGoneFromTheApi_NothingWrittenAndTriedAgainLater()
    {
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());
        await _api.DeleteAsync(KindRegistry.Pods, "default", "a");

        await manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal(0, _api.CountActions("get"));
        Assert.True(manager.TryGetPodStatus(_copies["a"].Metadata.Uid, out _));
        Assert.Equal(1, await manager.SyncBatchAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task SyncBatch_NextStatusBeforeTheWatchDeliveredTheWrite_PatchesAgainstTheReplyWithoutReading()
    {
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());
        await manager.SyncBatchAsync(false, CancellationToken.None);
        manager.SetPodStatus(_copies["a"], Running("second"));

        await manager.SyncBatchAsync(false, CancellationToken.None);

        Assert.Equal((0, 2), (_api.CountActions("get"), _api.CountActions("patch")));
        Assert.Equal("second", Api("a").Status.Message);
    }

    [Fact]
    public async Task SyncBatch_PodManagerCaughtUpWithALaterChange_ItsCopyIsUsedNotTheReply()
    {
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());
        await manager.SyncBatchAsync(false, CancellationToken.None);
        var later = await _api.PatchAsync(KindRegistry.Pods, "default", "a", PatchType.Merge,
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["later"] = "yes" } } });
        _copies["a"] = ApiJson.ToModel<V1Pod>(later);
        manager.SetPodStatus(_copies["a"], Running("second"));

        await manager.SyncBatchAsync(false, CancellationToken.None);

        // Patches: the first write, the label, the second write (none refused).
        Assert.Equal((0, 3), (_api.CountActions("get"), _api.CountActions("patch")));
        Assert.Equal(("second", "yes"), (Api("a").Status.Message, Api("a").Metadata.Labels["later"]));
    }

    [Fact]
    public async Task SyncBatch_OneWriteAtATime_LongestWaitingPodFirst()
    {
        var manager = Manager();
        manager.SetPodStatus(_copies["a"], Running());
        manager.SetPodStatus(_copies["b"], Running());
        manager.SetPodStatus(_copies["c"], Running());
        manager.DeletePodStatus(_copies["a"].Metadata.Uid);
        manager.SetPodStatus(_copies["d"], Running());
        manager.SetPodStatus(_copies["b"], Running("changed while waiting"));

        await manager.SyncBatchAsync(false, CancellationToken.None);

        var order = _api.Actions.Where(a => a.Verb == "patch").Select(a => a.Name).ToList();
        Assert.Equal(["b", "c", "d"], order);
        Assert.Equal("changed while waiting", Api("b").Status.Message);
    }

    private StatusManager Manager()
    {
        var manager = new StatusManager(_api, _time, NullLogger<StatusManager>.Instance, TimeSpan.FromSeconds(10), maxConcurrentWrites: 1);
        manager.Bind(uid => _copies.Values.FirstOrDefault(p => p.Metadata.Uid == uid), _ => true);
        return manager;
    }

    private V1Pod Api(string name) => ApiJson.ToModel<V1Pod>(_api.GetAsync(KindRegistry.Pods, "default", name).GetAwaiter().GetResult());

    private static V1PodStatus Running(string? message = null) => new()
    {
        Phase = "Running",
        Message = message,
        Conditions = [PodConditions.Condition("Ready", true), PodConditions.Condition("PodScheduled", true)],
    };
}

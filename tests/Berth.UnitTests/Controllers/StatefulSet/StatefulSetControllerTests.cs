using System.Text.Json.Nodes;
using Berth.Controllers.StatefulSet;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.ReplicaSet;
using static Berth.UnitTests.Controllers.StatefulSet.StatefulSetTestHost;

namespace Berth.UnitTests.Controllers.StatefulSet;

public sealed class StatefulSetControllerTests : IAsyncDisposable
{
    private readonly StatefulSetTestHost _sts = new();

    public ValueTask DisposeAsync() => _sts.DisposeAsync();

    private static JsonObject Partitioned(int partition) =>
        new() { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = partition } };

    private static void SetImage(JsonObject spec, string image) =>
        spec.GetArray("template", "spec", "containers")![0]!["image"] = image;

    private async Task<string?> ImageOfAsync(string pod) =>
        (await _sts.PodAsync(pod))?.GetArray("spec", "containers")![0]!["image"]!.GetValue<string>();

    [Fact]
    public async Task Sync_OrderedReady_CreatesNextOrdinalOnlyWhenPredecessorReady()
    {
        var set = await _sts.CreateAsync(NewStatefulSet("web", 3));

        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 1);
        await Task.Delay(200);
        Assert.Equal(["web-0"], await _sts.ActiveNamesAsync());
        await _sts.MakeReadyAsync("web-0");
        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 2);
        Assert.Equal(["web-0", "web-1"], await _sts.ActiveNamesAsync());
        await _sts.MakeReadyAsync("web-1");
        await _sts.MakeReadyAsync("web-2");
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusAsync("web", "readyReplicas") == 3);

        var pod = (await _sts.PodAsync("web-2"))!;
        Assert.Equal(set.GetUid(), OwnerReferences.GetControllerOf(pod)!.GetString("uid"));
        Assert.Equal(("web-2", "web"), (pod.GetString("spec", "hostname"), pod.GetString("spec", "subdomain")));
        Assert.Equal("2", pod.GetLabels()[StatefulSetUtils.PodIndexLabel]);
        var revision = await _sts.StatusStringAsync("web", "updateRevision");
        Assert.Equal(revision, pod.GetLabels()[StatefulSetUtils.ControllerRevisionHashLabel]);
        Assert.Equal(revision, await _sts.StatusStringAsync("web", "currentRevision"));
        Assert.Equal((3, 3, 3, 3, 1), (await _sts.StatusAsync("web", "replicas"), await _sts.StatusAsync("web", "currentReplicas"),
            await _sts.StatusAsync("web", "updatedReplicas"), await _sts.StatusAsync("web", "availableReplicas"),
            await _sts.StatusAsync("web", "observedGeneration")));
        Assert.Single(await _sts.Host.ListAsync(KindRegistry.ControllerRevisions));
        Assert.Equal(3, _sts.Host.Events.Events.Count(e => e.Reason == "SuccessfulCreate"));
        await _sts.Host.Events.WaitForAsync(e => e.Message == "create Pod web-0 in StatefulSet web successful");
    }

    [Fact]
    public async Task Sync_Parallel_CreatesAllPodsWithoutWaiting()
    {
        await _sts.CreateAsync(NewStatefulSet("web", 3, policy: "Parallel"));

        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 3);

        Assert.Equal(["web-0", "web-1", "web-2"], await _sts.ActiveNamesAsync());
    }

    [Fact]
    public async Task Sync_ScaleDownOrderedReady_DeletesHighestFirstAndNextOnlyWhenGone()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 3));

        await _sts.UpdateSpecAsync("web", spec => spec["replicas"] = 1);

        await _sts.Host.WaitUntilAsync(async () => (await _sts.PodAsync("web-2"))?.GetString("metadata", "deletionTimestamp") is not null);
        await Task.Delay(300);
        Assert.Null((await _sts.PodAsync("web-1"))!.GetString("metadata", "deletionTimestamp"));
        await _sts.FinishTerminatingAsync("web-2");
        await _sts.Host.WaitUntilAsync(async () => (await _sts.PodAsync("web-1"))?.GetString("metadata", "deletionTimestamp") is not null);
        await _sts.FinishTerminatingAsync("web-1");
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusAsync("web", "replicas") == 1);
        Assert.Equal(["web-0"], await _sts.ActiveNamesAsync());
    }

    [Fact]
    public async Task Sync_ScaleDownParallel_DeletesAllCondemnedAtOnce()
    {
        await _sts.CreateAsync(NewStatefulSet("web", 3, policy: "Parallel"));
        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 3);

        await _sts.UpdateSpecAsync("web", spec => spec["replicas"] = 1);

        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 1);
        Assert.Equal(3, (await _sts.Host.ListAsync(KindRegistry.Pods)).Count);
    }

    [Fact]
    public async Task Sync_RollingUpdateWithPartition_ReplacesOnlyOrdinalsAtOrAbovePartitionInReverse()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 3, updateStrategy: Partitioned(1)));
        var oldRevision = await _sts.StatusStringAsync("web", "currentRevision");

        await _sts.UpdateSpecAsync("web", spec => SetImage(spec, "busybox:2"));

        await _sts.Host.WaitUntilAsync(async () => (await _sts.PodAsync("web-2"))?.GetString("metadata", "deletionTimestamp") is not null);
        Assert.Null((await _sts.PodAsync("web-1"))!.GetString("metadata", "deletionTimestamp"));
        await _sts.FinishTerminatingAsync("web-2");
        await _sts.Host.WaitUntilAsync(async () => await ImageOfAsync("web-2") == "busybox:2");
        await _sts.MakeReadyAsync("web-2");
        await _sts.Host.WaitUntilAsync(async () => (await _sts.PodAsync("web-1"))?.GetString("metadata", "deletionTimestamp") is not null);
        await _sts.FinishTerminatingAsync("web-1");
        await _sts.MakeReadyAsync("web-1");
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusAsync("web", "updatedReplicas") == 2 && await _sts.StatusAsync("web", "readyReplicas") == 3);

        Assert.Equal("busybox:1.36", await ImageOfAsync("web-0"));
        Assert.Equal("busybox:2", await ImageOfAsync("web-1"));
        Assert.Equal(oldRevision, await _sts.StatusStringAsync("web", "currentRevision"));
        Assert.NotEqual(oldRevision, await _sts.StatusStringAsync("web", "updateRevision"));
        Assert.Equal(1, await _sts.StatusAsync("web", "currentReplicas"));
        Assert.Equal(2, (await _sts.Host.ListAsync(KindRegistry.ControllerRevisions)).Count);
    }

    [Fact]
    public async Task Sync_RollingUpdateComplete_CurrentRevisionBecomesUpdateRevision()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 2));

        await _sts.UpdateSpecAsync("web", spec => SetImage(spec, "busybox:2"));
        foreach (var pod in (string[])["web-1", "web-0"])
        {
            await _sts.Host.WaitUntilAsync(async () => (await _sts.PodAsync(pod))?.GetString("metadata", "deletionTimestamp") is not null, pod + " terminating");
            await _sts.FinishTerminatingAsync(pod);
            await _sts.Host.WaitUntilAsync(async () => await ImageOfAsync(pod) == "busybox:2", pod + " recreated");
            await _sts.MakeReadyAsync(pod);
        }

        await _sts.Host.WaitUntilAsync(async () =>
            await _sts.StatusStringAsync("web", "currentRevision") == await _sts.StatusStringAsync("web", "updateRevision") &&
            await _sts.StatusAsync("web", "currentReplicas") == 2, "rollout complete");
        Assert.Equal(2, await _sts.StatusAsync("web", "updatedReplicas"));
    }

    [Fact]
    public async Task Sync_OnDelete_ReplacesOnlyPodsDeletedByHand()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 2, updateStrategy: new JsonObject { ["type"] = "OnDelete" }));

        await _sts.UpdateSpecAsync("web", spec => SetImage(spec, "busybox:2"));
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusStringAsync("web", "updateRevision") != await _sts.StatusStringAsync("web", "currentRevision"));
        await Task.Delay(300);
        Assert.Equal(["web-0", "web-1"], await _sts.ActiveNamesAsync());

        await _sts.FinishTerminatingAsync("web-0");

        await _sts.Host.WaitUntilAsync(async () => await ImageOfAsync("web-0") == "busybox:2");
        Assert.Equal("busybox:1.36", await ImageOfAsync("web-1"));
    }

    [Fact]
    public async Task Sync_TemplateRolledBack_ReusesOldRevisionWithNextNumber()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 1, updateStrategy: new JsonObject { ["type"] = "OnDelete" }));
        var first = await _sts.StatusStringAsync("web", "updateRevision");
        await _sts.UpdateSpecAsync("web", spec => SetImage(spec, "busybox:2"));
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusStringAsync("web", "updateRevision") != first);

        await _sts.UpdateSpecAsync("web", spec => SetImage(spec, "busybox:1.36"));

        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusStringAsync("web", "updateRevision") == first);
        var revisions = await _sts.Host.ListAsync(KindRegistry.ControllerRevisions);
        Assert.Equal(2, revisions.Count);
        Assert.Equal(3, revisions.Single(r => r.GetName() == first).GetLong("revision"));
    }

    [Fact]
    public async Task Sync_RevisionHistoryLimit_DeletesOldestUnusedRevisions()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 1, updateStrategy: new JsonObject { ["type"] = "OnDelete" }, historyLimit: 1));

        for (var i = 2; i <= 4; i++)
        {
            var image = "busybox:" + i;
            await _sts.UpdateSpecAsync("web", spec => SetImage(spec, image));
            await _sts.Host.WaitUntilAsync(async () => await _sts.StatusAsync("web", "observedGeneration") == i);
        }

        await _sts.Host.WaitUntilAsync(async () => (await _sts.Host.ListAsync(KindRegistry.ControllerRevisions)).Count == 3,
            "current (pod), update and one historic revision");
    }

    [Fact]
    public async Task Sync_FailedPod_DeletedAndRecreated()
    {
        await _sts.CreateReadyAsync(NewStatefulSet("web", 1));
        var failed = ApiJson.Clone((await _sts.PodAsync("web-0"))!);
        var uid = failed.GetUid();
        failed.SetPath("Failed", "status", "phase");
        await _sts.Host.Api.UpdateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, failed, "status");

        await _sts.Host.WaitUntilAsync(async () => await _sts.PodAsync("web-0") is { } p && p.GetUid() != uid,
            "a failed pod is deleted at once (no grace period for terminal pods) and re-created");
        await _sts.Host.Events.WaitForAsync(e => e.Message == "delete Pod web-0 in StatefulSet web successful");
    }

    [Fact]
    public async Task Sync_OrphanPodWithMatchingName_Adopted()
    {
        var orphan = WorkloadObjects.Pod("web-0", "web");
        await _sts.Host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, orphan);

        var set = await _sts.CreateAsync(NewStatefulSet("web", 1));

        await _sts.Host.WaitUntilAsync(async () =>
            OwnerReferences.GetControllerOf((await _sts.PodAsync("web-0"))!)?.GetString("uid") == set.GetUid());
        await _sts.MakeReadyAsync("web-0");
        await _sts.Host.WaitUntilAsync(async () =>
            (await _sts.PodAsync("web-0"))!.GetLabels().ContainsKey(StatefulSetUtils.StatefulSetPodNameLabel), "identity restored");
    }

    [Fact]
    public async Task Sync_RollingUpdateMaxUnavailableTwo_ReplacesTwoHighestAtOnce()
    {
        var strategy = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0, ["maxUnavailable"] = 2 } };
        await _sts.CreateReadyAsync(NewStatefulSet("web", 3, updateStrategy: strategy));

        await _sts.UpdateSpecAsync("web", spec => SetImage(spec, "busybox:2"));

        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).SequenceEqual(["web-0"]), "web-2 and web-1 terminating together");
        await Task.Delay(300);
        Assert.Null((await _sts.PodAsync("web-0"))!.GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Sync_MinReadySeconds_NextOrdinalWaitsForAvailability()
    {
        var set = NewStatefulSet("web", 2);
        set.GetObject("spec")!["minReadySeconds"] = 3;
        await _sts.CreateAsync(set);

        await _sts.MakeReadyAsync("web-0");
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusAsync("web", "readyReplicas") == 1);
        Assert.Equal(0, await _sts.StatusAsync("web", "availableReplicas"));
        Assert.Equal(["web-0"], await _sts.ActiveNamesAsync());

        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 2, "web-1 follows once web-0 is available");
        // The sync that creates web-1 writes the status after the create: wait for that write, not for the pod alone.
        await _sts.Host.WaitUntilAsync(async () => await _sts.StatusAsync("web", "availableReplicas") == 1, "web-0 counted available");
    }
}

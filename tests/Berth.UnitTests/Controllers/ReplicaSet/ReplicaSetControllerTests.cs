using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.ReplicaSet.WorkloadObjects;

namespace Berth.UnitTests.Controllers.ReplicaSet;

public sealed class ReplicaSetControllerTests : IAsyncDisposable
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private WorkloadTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<long> StatusAsync(string rs, string field) => (await _host.GetAsync(KindRegistry.ReplicaSets, rs)).GetLong("status", field) ?? 0;

    [Fact]
    public async Task Sync_NewReplicaSet_CreatesOwnedPodsWithGeneratedNames()
    {
        _host.Run();
        var rs = await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 3, "web"));

        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 3);
        await _host.WaitUntilAsync(async () => await StatusAsync("web", "replicas") == 3);

        foreach (var pod in await _host.ActivePodsAsync())
        {
            var name = pod.GetName()!;
            Assert.Matches("^web-[" + Alphabet + "]{5}$", name);
            var owner = OwnerReferences.GetControllerOf(pod)!;
            Assert.Equal((rs.GetUid(), "ReplicaSet", "apps/v1", true), (owner.GetString("uid"), owner.GetString("kind"), owner.GetString("apiVersion"), owner.GetBool("blockOwnerDeletion")));
        }
        Assert.Equal(3, _host.Events.Events.Count(e => e.Reason == "SuccessfulCreate" && e.Message.StartsWith("Created pod: web-", StringComparison.Ordinal)));
        Assert.Equal(3, await StatusAsync("web", "fullyLabeledReplicas"));
        Assert.Equal(1, await StatusAsync("web", "observedGeneration"));
        Assert.Equal((0, 0), _host.ReplicaSets!.Expectations.Pending(new("default", "web")));
    }

    [Fact]
    public async Task Sync_UnrelatedPodInNamespace_KeepsNoPodModel()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, Pod("other", "db"));
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 1, "web"));

        await _host.WaitUntilAsync(async () => await StatusAsync("web", "replicas") == 1);

        var pods = _host.Informers.InformerFor(KindRegistry.Pods);
        Assert.False(pods.TypedLister<k8s.Models.V1Pod>().HasModel(pods.Lister.Get(WorkloadTestHost.Ns, "other")!));
    }

    [Fact]
    public async Task Sync_ScaleDown_KeepsTheReadyPodAndDeletesTheOthersGracefully()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 3, "web"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 3);
        var ready = (await _host.ActivePodsAsync())[1];
        await _host.MarkPodReadyAsync(ready);
        await _host.WaitUntilAsync(async () => await StatusAsync("web", "readyReplicas") == 1);

        await ScaleAsync("web", 1);

        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1);
        Assert.Equal(ready.GetName(), (await _host.ActivePodsAsync()).Single().GetName());
        Assert.Equal(2, (await _host.ListAsync(KindRegistry.Pods)).Count(p => p.GetString("metadata", "deletionTimestamp") is not null));
        Assert.Equal(2, _host.Events.Events.Count(e => e.Reason == "SuccessfulDelete"));
        await _host.WaitUntilAsync(async () => await StatusAsync("web", "replicas") == 1, "terminating pods do not count");
    }

    [Fact]
    public async Task Sync_PodTerminating_ReplacedAtOnce()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 2, "web"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);
        var victim = (await _host.ActivePodsAsync())[0].GetName()!;

        var result = await _host.Api.DeleteAsync(KindRegistry.Pods, WorkloadTestHost.Ns, victim);

        Assert.False(result.Deleted);
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);
        Assert.Equal(3, (await _host.ListAsync(KindRegistry.Pods)).Count);
    }

    [Fact]
    public async Task Sync_OrphanMatchingPod_AdoptedInsteadOfCreatingOne()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, Pod("stray", "web"));
        _host.Run();
        var rs = await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 2, "web"));

        await _host.WaitUntilAsync(async () => await StatusAsync("web", "replicas") == 2);
        var stray = await _host.GetAsync(KindRegistry.Pods, "stray");
        Assert.Equal(rs.GetUid(), OwnerReferences.GetControllerOf(stray)?.GetString("uid"));
        Assert.Equal(2, (await _host.ActivePodsAsync()).Count);
    }

    [Fact]
    public async Task Sync_OwnedPodRelabelled_ReleasedAndReplaced()
    {
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 1, "web"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 1);
        var pod = (await _host.ActivePodsAsync())[0].GetName()!;

        await _host.Api.PatchAsync(KindRegistry.Pods, WorkloadTestHost.Ns, pod, PatchType.Merge,
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "debug" } } });

        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync("app=web")).Count == 1);
        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.Pods, pod)).GetArray("metadata", "ownerReferences") is null,
            "the relabelled pod is released");
    }

    [Fact]
    public async Task Sync_MinReadySeconds_AvailableOnlyAfterward()
    {
        await _host.DisposeAsync();
        _host = new WorkloadTestHost(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero)));
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 2, "web", minReadySeconds: 30));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);

        await _host.MarkReadyAsync();

        await _host.WaitUntilAsync(async () => await StatusAsync("web", "readyReplicas") == 2);
        Assert.Equal(0, await StatusAsync("web", "availableReplicas"));
        _host.FakeTime!.Advance(TimeSpan.FromSeconds(31));
        await _host.WaitUntilAsync(async () => await StatusAsync("web", "availableReplicas") == 2);
    }

    [Fact]
    public async Task Sync_CreateForbidden_StopsAfterFirstBatchAndSetsReplicaFailure()
    {
        await _host.Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });
        var rs = NewReplicaSet("web", 0, "web");
        rs.SetPath("doomed", "metadata", "namespace");
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, "doomed", rs);
        await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "doomed");
        _host.Run();

        await _host.Api.PatchAsync(KindRegistry.ReplicaSets, "doomed", "web", PatchType.Merge,
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 5 } });

        await _host.WaitUntilAsync(async () => (await _host.Api.GetAsync(KindRegistry.ReplicaSets, "doomed", "web")).GetArray("status", "conditions") is { Count: > 0 });
        var condition = (await _host.Api.GetAsync(KindRegistry.ReplicaSets, "doomed", "web")).GetArray("status", "conditions")![0]!.AsObject();
        Assert.Equal(("ReplicaFailure", "True", "FailedCreate"), (condition.GetString("type"), condition.GetString("status"), condition.GetString("reason")));
        var failures = _host.Events.Events.Where(e => e.Reason == "FailedCreate").ToList();
        Assert.NotEmpty(failures);
        Assert.StartsWith("Error creating: ", failures[0].Message, StringComparison.Ordinal);
        Assert.Empty((await _host.Api.ListAsync(KindRegistry.Pods, "doomed")).Items);
    }

    private async Task ScaleAsync(string rs, int replicas) =>
        await _host.Api.PatchAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, rs, PatchType.Merge,
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, "scale");
}

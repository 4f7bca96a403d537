using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.UnitTests.Controllers.ReplicaSet;
using static Berth.UnitTests.Controllers.ReplicaSet.WorkloadObjects;

namespace Berth.UnitTests.Controllers.GarbageCollector;

public sealed class GarbageCollectorTests : IAsyncDisposable
{
    private readonly WorkloadTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static JsonArray OwnedBy(JsonObject owner, bool block = true) => new(new JsonObject
    {
        ["apiVersion"] = owner.GetString("apiVersion"), ["kind"] = owner.GetString("kind"), ["name"] = owner.GetName(), ["uid"] = owner.GetUid(),
        ["controller"] = true, ["blockOwnerDeletion"] = block,
    });

    private async Task<JsonObject> OwnerWithPodsAsync(int pods)
    {
        var rs = await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 0, "web"));
        for (var i = 0; i < pods; i++)
        {
            await _host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, Pod($"web-{i}", "web", OwnedBy(rs)));
        }
        return rs;
    }

    private async Task<int> TerminatingPodsAsync() =>
        (await _host.ListAsync(KindRegistry.Pods)).Count(p => p.GetString("metadata", "deletionTimestamp") is not null);

    [Fact]
    public async Task Sync_BackgroundDeleteOfOwner_DeletesDependentsGracefully()
    {
        await OwnerWithPodsAsync(2);
        _host.Run(replicaSets: false, gc: true);

        await _host.Api.DeleteAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, "web", new DeleteOptions(PropagationPolicy: "Background"));

        await _host.WaitUntilAsync(async () => await TerminatingPodsAsync() == 2, "pods get a deletionTimestamp (graceful)");
        var pod = await _host.GetAsync(KindRegistry.Pods, "web-0");
        Assert.Equal(2, pod.GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task Sync_ForegroundDelete_OwnerStaysUntilBlockingDependentsAreGone()
    {
        await OwnerWithPodsAsync(2);
        _host.Run(replicaSets: false, gc: true);

        await _host.Api.DeleteAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, "web", new DeleteOptions(PropagationPolicy: "Foreground"));

        await _host.WaitUntilAsync(async () => await TerminatingPodsAsync() == 2);
        await Task.Delay(200);
        var owner = await _host.GetAsync(KindRegistry.ReplicaSets, "web");
        Assert.Contains("foregroundDeletion", owner.GetArray("metadata", "finalizers")!.Select(f => f!.GetValue<string>()));

        await _host.FinishTerminatingAsync();
        await _host.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.ReplicaSets, "web"), "the finalizer is removed once the pods are gone");
    }

    [Fact]
    public async Task Sync_OrphanDelete_DependentsLoseTheReferenceAndStay()
    {
        await OwnerWithPodsAsync(2);
        _host.Run(replicaSets: false, gc: true);

        await _host.Api.DeleteAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, "web", new DeleteOptions(PropagationPolicy: "Orphan"));

        await _host.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.ReplicaSets, "web"));
        var pods = await _host.ListAsync(KindRegistry.Pods);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Null(p.GetArray("metadata", "ownerReferences")));
        Assert.Equal(0, await TerminatingPodsAsync());
    }

    [Fact]
    public async Task Sync_ReferenceToNeverExistingOwner_DependentDeleted()
    {
        var ghost = new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = "ghost", ["uid"] = "00000000-0000-0000-0000-000000000001" },
        };
        await _host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, Pod("dangling", "web", OwnedBy(ghost)));
        await _host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, Pod("free", "web"));
        _host.Run(replicaSets: false, gc: true);

        await _host.WaitUntilAsync(async () => await TerminatingPodsAsync() == 1);
        Assert.NotNull((await _host.GetAsync(KindRegistry.Pods, "dangling")).GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Sync_OneLiveOwnerAndOneGone_OnlyTheDanglingReferenceIsRemoved()
    {
        var rs = await _host.Api.CreateAsync(KindRegistry.ReplicaSets, WorkloadTestHost.Ns, NewReplicaSet("web", 0, "web"));
        var refs = OwnedBy(rs);
        refs.Add(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "gone", ["uid"] = "00000000-0000-0000-0000-000000000002" });
        await _host.Api.CreateAsync(KindRegistry.Pods, WorkloadTestHost.Ns, Pod("shared", "web", refs));
        _host.Run(replicaSets: false, gc: true);

        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.Pods, "shared")).GetArray("metadata", "ownerReferences")!.Count == 1);
        Assert.Null((await _host.GetAsync(KindRegistry.Pods, "shared")).GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Sync_ForegroundDeleteOfDeployment_CascadesThroughReplicaSets()
    {
        _host.Run(deployments: true, gc: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 2, "web"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 2);

        await _host.Api.DeleteAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, "web", new DeleteOptions(PropagationPolicy: "Foreground"));

        await _host.WaitUntilAsync(async () =>
        {
            await _host.FinishTerminatingAsync();
            return !await _host.ExistsAsync(KindRegistry.Deployments, "web");
        });
        Assert.Empty(await _host.ListAsync(KindRegistry.ReplicaSets));
        Assert.Empty(await _host.ListAsync(KindRegistry.Pods));
    }
}

using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.UnitTests.Controllers.ReplicaSet;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.ReplicaSet.WorkloadObjects;

namespace Berth.UnitTests.Controllers.Deployment;

public sealed class DeploymentControllerTests : IAsyncDisposable
{
    private WorkloadTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<JsonObject> DeploymentAsync() => _host.GetAsync(KindRegistry.Deployments, "web");

    private Task<IReadOnlyList<JsonObject>> ReplicaSetsAsync() => _host.ListAsync(KindRegistry.ReplicaSets);

    private static JsonObject? Condition(JsonObject d, string type) => DeploymentConditions.Get(d["status"] as JsonObject, type);

    private async Task<bool> RolledOutAsync(int replicas)
    {
        var d = await DeploymentAsync();
        return d.GetLong("status", "observedGeneration") >= d.GetLong("metadata", "generation") &&
            d.GetLong("status", "updatedReplicas") == replicas && d.GetLong("status", "replicas") == replicas &&
            d.GetLong("status", "availableReplicas") == replicas;
    }

    /// <summary>Plays kubelet until the rollout is complete: pods become ready, terminating pods go.</summary>
    private async Task DriveToCompletionAsync(int replicas) =>
        await _host.WaitUntilAsync(async () =>
        {
            await _host.MarkReadyAsync();
            await _host.FinishTerminatingAsync();
            return await RolledOutAsync(replicas);
        });

    private async Task SetImageAsync(string image) =>
        await _host.Api.PatchAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, "web", PatchType.Merge, JsonNode.Parse(
            """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"IMAGE"}],"nodeName":"node-a","terminationGracePeriodSeconds":2}}}}""".Replace("IMAGE", image, StringComparison.Ordinal))!);

    [Fact]
    public async Task Sync_NewDeployment_CreatesHashedReplicaSetAndCompletes()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 3, "web"));

        await DriveToCompletionAsync(3);

        var rs = Assert.Single(await ReplicaSetsAsync());
        var d = await DeploymentAsync();
        var hash = rs.GetString("metadata", "labels", PodTemplateHash.Label)!;
        Assert.Equal("web-" + hash, rs.GetName());
        Assert.Equal(hash, PodTemplateHash.Compute(d.GetObject("spec", "template"), null));
        Assert.Equal(hash, rs.GetString("spec", "selector", "matchLabels", PodTemplateHash.Label));
        Assert.Equal(("1", "1"), (Annotations.Get(rs, Annotations.Revision), Annotations.Get(d, Annotations.Revision)));
        Assert.Equal(("3", "4"), (Annotations.Get(rs, Annotations.DesiredReplicas), Annotations.Get(rs, Annotations.MaxReplicas)));
        Assert.Equal((DeploymentConditions.NewRSAvailableReason, $"ReplicaSet \"{rs.GetName()}\" has successfully progressed."),
            (Condition(d, "Progressing")!.GetString("reason"), Condition(d, "Progressing")!.GetString("message")));
        Assert.Equal(DeploymentConditions.MinimumReplicasAvailable, Condition(d, "Available")!.GetString("reason"));
        await _host.Events.WaitForAsync(e => e.Reason == "ScalingReplicaSet" && e.Message == $"Scaled up replica set {rs.GetName()} from 0 to 3");
    }

    [Fact]
    public async Task Sync_RollingUpdateSurgeOneUnavailableZero_NeverBelowDesiredAvailable()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 3, "web", RollingUpdate(1, 0)));
        await DriveToCompletionAsync(3);
        var oldRs = Assert.Single(await ReplicaSetsAsync()).GetName()!;

        await SetImageAsync("busybox:2");

        await _host.WaitUntilAsync(async () => (await ReplicaSetsAsync()).Count == 2);
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 4);
        await Task.Delay(200);
        Assert.Equal(3, DeploymentUtil.Replicas(await _host.GetAsync(KindRegistry.ReplicaSets, oldRs)));
        Assert.Equal(4, (await _host.ActivePodsAsync()).Count);

        await _host.WaitUntilAsync(async () =>
        {
            var readyActive = (await _host.ActivePodsAsync()).Count(p => p.GetString("status", "phase") == "Running");
            Assert.True(readyActive >= 3, $"only {readyActive} ready pods");
            await _host.MarkReadyAsync();
            await _host.FinishTerminatingAsync();
            return await RolledOutAsync(3);
        });
        Assert.Equal(0, DeploymentUtil.Replicas(await _host.GetAsync(KindRegistry.ReplicaSets, oldRs)));
        Assert.Equal("2", Annotations.Get(await DeploymentAsync(), Annotations.Revision));
    }

    [Fact]
    public async Task Sync_Recreate_NewReplicaSetOnlyAfterOldPodsAreGone()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 2, "web", new JsonObject { ["type"] = "Recreate" }));
        await DriveToCompletionAsync(2);

        await SetImageAsync("busybox:2");

        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 0);
        await Task.Delay(300);
        Assert.Single(await ReplicaSetsAsync());
        Assert.Equal(2, (await _host.ListAsync(KindRegistry.Pods)).Count);

        await _host.FinishTerminatingAsync();
        await _host.WaitUntilAsync(async () => (await ReplicaSetsAsync()).Count == 2);
        await DriveToCompletionAsync(2);
    }

    [Fact]
    public async Task Sync_Rollback_ReusesOldReplicaSetWithNextRevision()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 1, "web"));
        await DriveToCompletionAsync(1);
        var first = Assert.Single(await ReplicaSetsAsync()).GetName()!;
        await SetImageAsync("busybox:2");
        await DriveToCompletionAsync(1);

        await SetImageAsync("busybox:1.36");
        await DriveToCompletionAsync(1);

        var all = await ReplicaSetsAsync();
        Assert.Equal(2, all.Count);
        var reused = await _host.GetAsync(KindRegistry.ReplicaSets, first);
        Assert.Equal(("3", "1"), (Annotations.Get(reused, Annotations.Revision), Annotations.Get(reused, Annotations.RevisionHistory)));
        Assert.Equal(1, DeploymentUtil.Replicas(reused));
        Assert.Equal("3", Annotations.Get(await DeploymentAsync(), Annotations.Revision));
    }

    [Fact]
    public async Task Sync_RevisionHistoryLimit_DeletesOldestEmptySets()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 1, "web", historyLimit: 1));
        await DriveToCompletionAsync(1);
        foreach (var image in (string[])["busybox:2", "busybox:3", "busybox:4"])
        {
            await SetImageAsync(image);
            await DriveToCompletionAsync(1);
        }
        await _host.WaitUntilAsync(async () => (await ReplicaSetsAsync()).Count == 2);
        Assert.Equal(["3", "4"], (await ReplicaSetsAsync()).Select(rs => Annotations.Get(rs, Annotations.Revision)!).Order());
    }

    [Fact]
    public async Task Sync_Paused_NoRolloutUntilResumed()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 2, "web"));
        await DriveToCompletionAsync(2);

        await _host.Api.PatchAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, "web", PatchType.Merge, JsonNode.Parse("""{"spec":{"paused":true}}""")!);
        await SetImageAsync("busybox:2");
        await _host.WaitUntilAsync(async () => Condition(await DeploymentAsync(), "Progressing")?.GetString("reason") == DeploymentConditions.PausedDeployReason);
        await Task.Delay(200);
        Assert.Single(await ReplicaSetsAsync());

        await _host.Api.PatchAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, "web", PatchType.Merge, JsonNode.Parse("""{"spec":{"paused":false}}""")!);
        await _host.WaitUntilAsync(async () => (await ReplicaSetsAsync()).Count == 2);
        await DriveToCompletionAsync(2);
    }

    [Fact]
    public async Task Sync_ScaleEvent_ResizesAndUpdatesDesiredAnnotation()
    {
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 2, "web"));
        await DriveToCompletionAsync(2);

        await _host.Api.PatchAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, "web", PatchType.Merge, JsonNode.Parse("""{"spec":{"replicas":5}}""")!, "scale");

        await DriveToCompletionAsync(5);
        var rs = Assert.Single(await ReplicaSetsAsync());
        Assert.Equal("5", Annotations.Get(rs, Annotations.DesiredReplicas));
        await _host.Events.WaitForAsync(e => e.Message == $"Scaled up replica set {rs.GetName()} from 2 to 5");
    }

    [Fact]
    public async Task Sync_NoProgressPastDeadline_ProgressDeadlineExceeded()
    {
        await _host.DisposeAsync();
        _host = new WorkloadTestHost(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero)));
        _host.Run(deployments: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, WorkloadTestHost.Ns, NewDeployment("web", 2, "web", progressDeadline: 10));
        await _host.WaitUntilAsync(async () => Condition(await DeploymentAsync(), "Progressing")?.GetString("reason") is
            DeploymentConditions.NewRSReason or DeploymentConditions.ReplicaSetUpdatedReason);

        await Task.Delay(300);
        Assert.NotEqual(DeploymentConditions.TimedOutReason, Condition(await DeploymentAsync(), "Progressing")?.GetString("reason"));

        await _host.WaitUntilAsync(async () =>
        {
            _host.FakeTime!.Advance(TimeSpan.FromSeconds(1));
            return Condition(await DeploymentAsync(), "Progressing")?.GetString("reason") == DeploymentConditions.TimedOutReason;
        });
        var progressing = Condition(await DeploymentAsync(), "Progressing")!;
        Assert.Equal("False", progressing.GetString("status"));
        Assert.EndsWith("has timed out progressing.", progressing.GetString("message"), StringComparison.Ordinal);
        Assert.Equal(("False", DeploymentConditions.MinimumReplicasUnavailable),
            (Condition(await DeploymentAsync(), "Available")!.GetString("status"), Condition(await DeploymentAsync(), "Available")!.GetString("reason")));
    }
}

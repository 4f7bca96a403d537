using System.Text.Json.Nodes;
using Berth.Controllers.Volume;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.Scheduling;

/// <summary>The scheduler's VolumeBinding plugin: PreFilter failures with upstream's messages, and WaitForFirstConsumer claims.</summary>
public sealed class SchedulerVolumeTests : IAsyncDisposable
{
    private readonly SchedulerTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task CreatePodWithClaimAsync(string name, string claim) =>
        _host.Api.CreateAsync(KindRegistry.Pods, "default", JsonNode.Parse("""
            {"metadata":{"name":"@name@"},"spec":{"containers":[{"name":"c","image":"busybox"}],
             "volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"@claim@"}}]}}
            """.Replace("@name@", name).Replace("@claim@", claim))!.AsObject());

    private Task CreateClaimAsync(string name, string className) =>
        _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, "default", JsonNode.Parse("""
            {"metadata":{"name":"@name@"},"spec":{"storageClassName":"@class@","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}
            """.Replace("@name@", name).Replace("@class@", className))!.AsObject());

    private Task CreateClassAsync(string name, string mode) =>
        _host.Api.CreateAsync(KindRegistry.StorageClasses, null, JsonNode.Parse("""
            {"metadata":{"name":"@name@"},"provisioner":"berth.dev/local-path","volumeBindingMode":"@mode@"}
            """.Replace("@name@", name).Replace("@mode@", mode))!.AsObject());

    [Fact]
    public async Task MissingClaim_FailedSchedulingWithPreFilterMessage()
    {
        await _host.CreateNodeAsync("vm");
        await CreatePodWithClaimAsync("web", "data");

        const string message = "0/1 nodes are available: persistentvolumeclaim \"data\" not found. " +
            "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        await AsyncTestHelpers.WaitUntilAsync(() => _host.EventsFor("web", "FailedScheduling").Any(e => e.Message == message));
    }

    [Fact]
    public async Task UnboundImmediateClaim_FailedScheduling()
    {
        await _host.CreateNodeAsync("vm");
        await CreateClassAsync("now", "Immediate");
        await CreateClaimAsync("data", "now");
        await CreatePodWithClaimAsync("web", "data");

        // A first attempt may run before the scheduler's informers hold the claim ("not found"); its retry waits for
        // the back-off, which needs a running clock.
        await _host.WaitWhileClockRunsAsync(() => Task.FromResult(_host.EventsFor("web", "FailedScheduling")
            .Any(e => e.Message.StartsWith("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption:", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task WaitForFirstConsumer_ClaimGetsNode_PodBoundOnceClaimIsBound()
    {
        await _host.CreateNodeAsync("vm");
        await CreateClassAsync("later", "WaitForFirstConsumer");
        await CreateClaimAsync("data", "later");
        await CreatePodWithClaimAsync("web", "data");

        // A first attempt may run before the scheduler's informers hold the claim or the class; its back-off needs a running clock.
        await _host.WaitWhileClockRunsAsync(async () => (await _host.Api.GetAsync(KindRegistry.PersistentVolumeClaims, "default", "data"))
            .GetString("metadata", "annotations", VolumeAnnotations.SelectedNode) == "vm");
        Assert.Null(await _host.NodeOfAsync("web"));

        // Play the binder: the claim becomes bound.
        var claim = await _host.Api.GetAsync(KindRegistry.PersistentVolumeClaims, "default", "data");
        claim["spec"]!["volumeName"] = "pv1";
        claim = await _host.Api.UpdateAsync(KindRegistry.PersistentVolumeClaims, "default", claim);
        claim["status"] = new JsonObject { ["phase"] = "Bound" };
        await _host.Api.UpdateAsync(KindRegistry.PersistentVolumeClaims, "default", claim, "status");

        await _host.WaitWhileClockRunsAsync(async () => await _host.NodeOfAsync("web") == "vm");
    }
}

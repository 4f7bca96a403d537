using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using static Berth.IntegrationTests.Remote.RemoteClientFixture;

namespace Berth.IntegrationTests.Remote;

/// <summary>Binding, eviction, status and scale subresources and every delete outcome through the remote client.</summary>
public sealed class RemoteApiClientSubresourceTests(RemoteClientFixture fixture) : IClassFixture<RemoteClientFixture>
{
    private static readonly ResourceKind Pods = KindRegistry.Pods;

    /// <summary>Binds a pod to a node no kubelet runs, so that its deletion is graceful and nothing starts it.</summary>
    private Task BindAsync(string ns, string name) =>
        fixture.Local.CreateAsync(Pods, ns, name, "binding", JsonNode.Parse($$$"""
            {"apiVersion":"v1","kind":"Binding","metadata":{"name":"{{{name}}}"},"target":{"kind":"Node","name":"elsewhere"}}
            """)!.AsObject()).DefaultTimeout();

    [Fact]
    public async Task CreateAsync_Binding_SetsNodeNameAndRepliesSuccess()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(Pods, ns, UnscheduledPod("b")).DefaultTimeout();
        var binding = JsonNode.Parse("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"b"},"target":{"kind":"Node","name":"elsewhere"}}""")!.AsObject();

        var reply = await fixture.Remote.CreateAsync(Pods, ns, "b", "binding", binding).DefaultTimeout();
        var (local, remote) = await fixture.BothFailAsync(c => c.CreateAsync(Pods, ns, "b", "binding", ApiJson.Clone(binding)));

        Assert.Equal("Success", reply.GetString("status"));
        Assert.Equal("elsewhere", (await fixture.Local.GetAsync(Pods, ns, "b").DefaultTimeout()).GetString("spec", "nodeName"));
        AssertSameError(local, remote);
        Assert.Equal(409, remote.Code);
    }

    [Fact]
    public async Task CreateAsync_Eviction_MarksPodForGracefulDeletion()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(Pods, ns, UnscheduledPod("e")).DefaultTimeout();
        await BindAsync(ns, "e");
        var eviction = JsonNode.Parse("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"e"}}""")!.AsObject();

        var reply = await fixture.Remote.CreateAsync(Pods, ns, "e", "eviction", eviction).DefaultTimeout();

        Assert.Equal("Success", reply.GetString("status"));
        var pod = await fixture.Local.GetAsync(Pods, ns, "e").DefaultTimeout();
        Assert.NotNull(pod.GetPath("metadata", "deletionTimestamp"));
        Assert.Equal(30, pod.GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task UpdateAsync_Status_ChangesOnlyStatus()
    {
        var ns = await fixture.NewNamespaceAsync();
        var pod = await fixture.Remote.CreateAsync(Pods, ns, UnscheduledPod("s")).DefaultTimeout();
        pod.SetPath("Running", "status", "phase");
        pod.SetPath("changed", "metadata", "labels", "ignored");

        var updated = await fixture.Remote.UpdateAsync(Pods, ns, pod, "status").DefaultTimeout();

        Assert.Equal("Running", updated.GetString("status", "phase"));
        Assert.Null(updated.GetString("metadata", "labels", "ignored"));
    }

    [Fact]
    public async Task UpdateAsync_Scale_SetsReplicas()
    {
        var ns = await fixture.NewNamespaceAsync();
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
                     "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"x","command":["true"]}]}}}}
            """)!.AsObject();
        await fixture.Remote.CreateAsync(KindRegistry.Deployments, ns, deployment).DefaultTimeout();
        var scale = JsonNode.Parse($$$"""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"d","namespace":"{{{ns}}}"},"spec":{"replicas":4}}""")!.AsObject();

        var reply = await fixture.Remote.UpdateAsync(KindRegistry.Deployments, ns, scale, "scale").DefaultTimeout();

        Assert.Equal(4, reply.GetLong("spec", "replicas"));
        Assert.Equal(4, (await fixture.Local.GetAsync(KindRegistry.Deployments, ns, "d").DefaultTimeout()).GetLong("spec", "replicas"));
    }

    [Fact]
    public async Task DeleteAsync_GracefulPod_PendingThenGoneWithGraceZero()
    {
        var ns = await fixture.NewNamespaceAsync();
        var pod = await fixture.Remote.CreateAsync(Pods, ns, UnscheduledPod("g")).DefaultTimeout();
        await BindAsync(ns, "g");

        var marked = await fixture.Remote.DeleteAsync(Pods, ns, "g", new DeleteOptions(GracePeriodSeconds: 20)).DefaultTimeout();
        var gone = await fixture.Remote.DeleteAsync(Pods, ns, "g",
            new DeleteOptions(GracePeriodSeconds: 0, PreconditionUid: pod.GetUid())).DefaultTimeout();

        Assert.False(marked.Deleted);
        Assert.Equal(20, marked.Object.GetLong("metadata", "deletionGracePeriodSeconds"));
        Assert.True(gone.Deleted);
        await Assert.ThrowsAsync<Berth.Machinery.Errors.ApiException>(() => fixture.Local.GetAsync(Pods, ns, "g")).DefaultTimeout();
    }

    [Fact]
    public async Task DeleteAsync_ConfigMap_DeletedWithSuccessStatus()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(KindRegistry.ConfigMaps, ns, ConfigMap("c", "1")).DefaultTimeout();

        var result = await fixture.Remote.DeleteAsync(KindRegistry.ConfigMaps, ns, "c").DefaultTimeout();

        Assert.True(result.Deleted);
        Assert.Equal("Success", result.Object.GetString("status"));
    }

    [Fact]
    public async Task DeleteAsync_UidPreconditionMismatch_SameConflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(KindRegistry.ConfigMaps, ns, ConfigMap("pre", "1")).DefaultTimeout();
        var options = new DeleteOptions(PreconditionUid: "not-the-uid");

        var (local, remote) = await fixture.BothFailAsync(c => c.DeleteAsync(KindRegistry.ConfigMaps, ns, "pre", options));

        AssertSameError(local, remote);
        Assert.Equal(409, remote.Code);
    }

    [Fact]
    public async Task DeleteAsync_DryRun_ObjectKept()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(KindRegistry.ConfigMaps, ns, ConfigMap("dry", "1")).DefaultTimeout();

        await fixture.Remote.DeleteAsync(KindRegistry.ConfigMaps, ns, "dry", new DeleteOptions(DryRun: true)).DefaultTimeout();

        Assert.Equal("dry", (await fixture.Local.GetAsync(KindRegistry.ConfigMaps, ns, "dry").DefaultTimeout()).GetName());
    }
}

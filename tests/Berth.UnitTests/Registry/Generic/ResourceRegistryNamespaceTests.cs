using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistryNamespaceTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<JsonObject> CreateWithSpecFinalizer(string name) =>
        _host.Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        });

    [Fact]
    public async Task Delete_Namespace_MarksTerminatingAndKeepsIt()
    {
        await CreateWithSpecFinalizer("team");
        var result = await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "team");
        Assert.False(result.Deleted);
        Assert.Equal("Terminating", result.Object.GetString("status", "phase"));
        Assert.Equal("2026-11-27T22:00:00Z", result.Object.GetString("metadata", "deletionTimestamp"));
        var again = await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "team");
        Assert.False(again.Deleted);
        Assert.Equal(result.Object.GetResourceVersion(), again.Object.GetResourceVersion());
    }

    [Fact]
    public async Task Finalize_RemovingLastSpecFinalizerOfTerminatingNamespace_DeletesIt()
    {
        await CreateWithSpecFinalizer("team");
        var marked = (await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "team")).Object;
        marked["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        await _host.Api.UpdateAsync(KindRegistry.Namespaces, null, marked, "finalize");
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetAsync(KindRegistry.Namespaces, null, "team"));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Finalize_OnLiveNamespace_ChangesOnlySpecFinalizers()
    {
        var ns = await CreateWithSpecFinalizer("team");
        ns["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        ns.Metadata()["labels"] = new JsonObject { ["ignored"] = "yes" };
        var updated = await _host.Api.UpdateAsync(KindRegistry.Namespaces, null, ns, "finalize");
        Assert.Null(updated.GetPath("spec", "finalizers"));
        Assert.Empty(updated.GetLabels());
    }

    [Fact]
    public async Task Delete_TerminatingNamespaceWithoutSpecFinalizers_DeletesIt()
    {
        await _host.CreateNamespaceAsync("plain");
        await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "plain");
        var result = await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "plain");
        Assert.True(result.Deleted);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task Delete_SystemNamespace_Returns403(string name)
    {
        await _host.CreateNamespaceAsync(name);
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.DeleteAsync(KindRegistry.Namespaces, null, name));
        Assert.Equal(403, e.Code);
        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", e.Message);
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistryUpdateTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new();

    public Task InitializeAsync() => _host.CreateNamespaceAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JsonObject Deployment(string name, int replicas = 1) => new()
    {
        ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
        },
    };

    [Fact]
    public async Task Update_StaleResourceVersion_Returns409Conflict()
    {
        var created = await _host.CreatePodAsync("a");
        var first = created.DeepClone().AsObject();
        first.Metadata()["labels"] = new JsonObject { ["x"] = "1" };
        await _host.Api.UpdateAsync(KindRegistry.Pods, "default", first);
        var stale = created.DeepClone().AsObject();
        stale.Metadata()["labels"] = new JsonObject { ["x"] = "2" };
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.UpdateAsync(KindRegistry.Pods, "default", stale));
        Assert.Equal(409, e.Code);
        Assert.Equal(
            "Operation cannot be fulfilled on pods \"a\": the object has been modified; please apply your changes to the latest version and try again",
            e.Message);
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsUnconditional()
    {
        var created = await _host.CreatePodAsync("a");
        created.Metadata().Remove("resourceVersion");
        created.Metadata()["labels"] = new JsonObject { ["x"] = "1" };
        var updated = await _host.Api.UpdateAsync(KindRegistry.Pods, "default", created);
        Assert.Equal("1", updated.GetLabels()["x"]);
    }

    [Fact]
    public async Task Update_NameDiffersFromUrl_Returns400()
    {
        var created = await _host.CreatePodAsync("a");
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.UpdateResourceAsync(KindRegistry.Pods, "default", "b", created));
        Assert.Equal("the name of the object (a) does not match the name on the URL (b)", e.Message);
    }

    [Fact]
    public async Task Update_SpecChange_BumpsGeneration_MetadataChangeDoesNot()
    {
        var created = await _host.Api.CreateAsync(KindRegistry.Deployments, "default", Deployment("web"));
        Assert.Equal(1, created.GetLong("metadata", "generation"));
        created["spec"]!["replicas"] = 3;
        var scaled = await _host.Api.UpdateAsync(KindRegistry.Deployments, "default", created);
        Assert.Equal(2, scaled.GetLong("metadata", "generation"));
        scaled.Metadata()["labels"] = new JsonObject { ["a"] = "b" };
        var labelled = await _host.Api.UpdateAsync(KindRegistry.Deployments, "default", scaled);
        Assert.Equal(2, labelled.GetLong("metadata", "generation"));
    }

    [Fact]
    public async Task Update_NoChange_DoesNotWrite()
    {
        var created = await _host.CreatePodAsync("a");
        var revision = _host.Store.CurrentRevision;
        var result = await _host.Api.UpdateAsync(KindRegistry.Pods, "default", created.DeepClone().AsObject());
        Assert.Equal(created.GetResourceVersion(), result.GetResourceVersion());
        Assert.Equal(revision, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Update_KeepsUidCreationTimestampAndGeneration()
    {
        var created = await _host.CreatePodAsync("a");
        var changed = created.DeepClone().AsObject();
        changed.Metadata()["creationTimestamp"] = "2000-01-01T00:00:00Z";
        changed.Metadata()["generation"] = 99;
        changed.Metadata().Remove("uid");
        changed.Metadata()["labels"] = new JsonObject { ["x"] = "1" };
        var updated = await _host.Api.UpdateAsync(KindRegistry.Pods, "default", changed);
        Assert.Equal(created.GetUid(), updated.GetUid());
        Assert.Equal(created.GetString("metadata", "creationTimestamp"), updated.GetString("metadata", "creationTimestamp"));
        Assert.Equal(1, updated.GetLong("metadata", "generation"));
    }

    [Fact]
    public async Task Update_MainResource_KeepsStatus_StatusSubresource_ChangesOnlyStatus()
    {
        var created = await _host.CreatePodAsync("a");
        var withStatus = created.DeepClone().AsObject();
        withStatus["status"] = new JsonObject { ["phase"] = "Running" };
        var main = await _host.Api.UpdateAsync(KindRegistry.Pods, "default", withStatus);
        Assert.Null(main["status"]);
        withStatus.Metadata()["labels"] = new JsonObject { ["ignored"] = "yes" };
        withStatus.Metadata().Remove("resourceVersion");
        var status = await _host.Api.UpdateAsync(KindRegistry.Pods, "default", withStatus, "status");
        Assert.Equal("Running", status.GetString("status", "phase"));
        Assert.Empty(status.GetLabels());
    }

    [Fact]
    public async Task Update_RemovingLastFinalizerOfDeletedObject_DeletesIt()
    {
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", RegistryTestHost.ConfigMap("cm", "example.com/hold"));
        var marked = await _host.Api.DeleteAsync(KindRegistry.ConfigMaps, "default", "cm");
        Assert.False(marked.Deleted);
        var obj = marked.Object;
        obj.Metadata().Remove("finalizers");
        await _host.Api.UpdateAsync(KindRegistry.ConfigMaps, "default", obj);
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetAsync(KindRegistry.ConfigMaps, "default", "cm"));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Update_Missing_Returns404()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.UpdateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod("ghost")));
        Assert.Equal(404, e.Code);
        Assert.Equal("pods \"ghost\" not found", e.Message);
    }

    [Fact]
    public async Task Update_ChangedUid_Returns422()
    {
        var created = await _host.CreatePodAsync("a");
        created.Metadata()["uid"] = "other";
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.UpdateAsync(KindRegistry.Pods, "default", created));
        Assert.Equal(422, e.Code);
    }
}

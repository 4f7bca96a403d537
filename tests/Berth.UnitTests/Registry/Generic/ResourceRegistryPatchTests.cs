using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Storage.InMemory;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistryPatchTests : IAsyncLifetime
{
    private readonly ConflictOnceStore _store = new(new InMemoryResourceStore());
    private readonly RegistryTestHost _host;

    public ResourceRegistryPatchTests() => _host = new RegistryTestHost(store: _store);

    public Task InitializeAsync() => _host.CreateNamespaceAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<WriteResult> Patch(string name, PatchType type, string patch, WriteOptions? options = null) =>
        _host.Api.PatchResourceAsync(KindRegistry.Pods, "default", name, type, JsonNode.Parse(patch)!, null, options);

    [Fact]
    public async Task Patch_MergeAfterConcurrentWrite_RetriesAndKeepsBothChanges()
    {
        await _host.CreatePodAsync("a");
        _store.Key = KindRegistry.Pods.Key("default", "a");
        var result = await Patch("a", PatchType.Merge, """{"metadata":{"labels":{"app":"web"}}}""");
        Assert.Equal(1, _store.Conflicts);
        Assert.Equal("web", result.Object.GetLabels()["app"]);
        Assert.Equal("writer", result.Object.GetString("metadata", "annotations", "concurrent"));
    }

    [Fact]
    public async Task Update_WithResourceVersionAfterConcurrentWrite_Returns409()
    {
        var pod = await _host.CreatePodAsync("a");
        _store.Key = KindRegistry.Pods.Key("default", "a");
        pod.Metadata()["labels"] = new JsonObject { ["app"] = "web" };
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.UpdateAsync(KindRegistry.Pods, "default", pod));
        Assert.Equal(409, e.Code);
    }

    [Fact]
    public async Task Patch_JsonPatch_AppliesOperations()
    {
        await _host.CreatePodAsync("a");
        var result = await Patch("a", PatchType.Json, """[{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]""");
        Assert.Equal("y", result.Object.GetLabels()["x"]);
    }

    [Fact]
    public async Task Patch_JsonPatchTestFails_Returns4xx()
    {
        await _host.CreatePodAsync("a");
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            Patch("a", PatchType.Json, """[{"op":"test","path":"/metadata/name","value":"b"}]"""));
        Assert.InRange(e.Code, 400, 422);
    }

    [Fact]
    public async Task Patch_StaleResourceVersionInPatch_Returns409()
    {
        await _host.CreatePodAsync("a");
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            Patch("a", PatchType.Merge, """{"metadata":{"resourceVersion":"1","labels":{"a":"b"}}}"""));
        Assert.Equal(409, e.Code);
    }

    [Fact]
    public async Task Patch_Missing_Returns404()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => Patch("ghost", PatchType.Merge, """{"metadata":{"labels":{"a":"b"}}}"""));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Patch_ApplyOnMissingObject_CreatesIt()
    {
        var applied = RegistryTestHost.Pod("applied").ToJsonString();
        var result = await Patch("applied", PatchType.Apply, applied, new WriteOptions(FieldManager: "kubectl"));
        Assert.True(result.Created);
        Assert.NotNull((await _host.Api.GetAsync(KindRegistry.Pods, "default", "applied")).GetUid());
    }

    [Fact]
    public async Task Patch_StrategicMerge_MergesContainersByName()
    {
        await _host.CreatePodAsync("a");
        var result = await Patch("a", PatchType.StrategicMerge, """{"spec":{"containers":[{"name":"c","image":"nginx"}]}}""");
        var container = Assert.Single(result.Object.GetArray("spec", "containers")!)!.AsObject();
        Assert.Equal("nginx", container["image"]!.GetValue<string>());
        Assert.Equal(2, result.Object.GetLong("metadata", "generation"));
    }

    [Fact]
    public async Task Patch_ApplyOnMissingObject_RecordsOnlyTheApplyEntry()
    {
        var result = await Patch("applied", PatchType.Apply, RegistryTestHost.Pod("applied").ToJsonString(), new WriteOptions(FieldManager: "kubectl"));
        var entry = Assert.Single(result.Object.GetArray("metadata", "managedFields")!)!.AsObject();
        Assert.Equal(("kubectl", "Apply"), (entry.GetString("manager"), entry.GetString("operation")));
    }

    [Fact]
    public async Task Update_WithFieldManager_RecordsUpdateEntryButNoOpStaysNoOp()
    {
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod("a"), new WriteOptions(FieldManager: "kubectl-create"));
        Assert.Equal("Update", Assert.Single(created.GetArray("metadata", "managedFields")!)!.AsObject().GetString("operation"));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var revision = _host.Store.CurrentRevision;
        await _host.Api.UpdateAsync(KindRegistry.Pods, "default", created.DeepClone().AsObject(), options: new WriteOptions(FieldManager: "kubectl-replace"));
        Assert.Equal(revision, _host.Store.CurrentRevision);
        var labelled = await Patch("a", PatchType.Merge, """{"metadata":{"labels":{"x":"y"}}}""", new WriteOptions(FieldManager: "kubectl-label"));
        Assert.Contains(labelled.Object.GetArray("metadata", "managedFields")!, e => e!["manager"]!.GetValue<string>() == "kubectl-label");
    }

    [Fact]
    public async Task StatusPatch_RecordsASubresourceEntry_AndPutWithoutManagedFieldsKeepsThem()
    {
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod("s"), new WriteOptions(FieldManager: "kubectl-create"));
        var status = await _host.Api.PatchResourceAsync(KindRegistry.Pods, "default", "s", PatchType.Merge,
            JsonNode.Parse("""{"status":{"message":"hi"}}""")!, "status", new WriteOptions(FieldManager: "kubelet"));
        var entry = status.Object.GetArray("metadata", "managedFields")!.Single(e => e!["manager"]!.GetValue<string>() == "kubelet")!.AsObject();
        Assert.Equal(("Update", "status"), (entry.GetString("operation"), entry.GetString("subresource")));

        var replaced = status.Object.DeepClone().AsObject();
        replaced.Metadata().Remove("managedFields");
        replaced.SetPath(JsonValue.Create("v"), "metadata", "labels", "k");
        var updated = await _host.Api.UpdateResourceAsync(KindRegistry.Pods, "default", "s", replaced, options: new WriteOptions(FieldManager: "kubectl-replace"));
        Assert.Equal(["kubectl-create", "kubectl-replace", "kubelet"],
            updated.Object.GetArray("metadata", "managedFields")!.Select(e => e!["manager"]!.GetValue<string>()));
        Assert.NotNull(created);
    }
}

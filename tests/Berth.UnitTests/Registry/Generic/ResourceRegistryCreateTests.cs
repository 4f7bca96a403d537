using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistryCreateTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new();

    public Task InitializeAsync() => _host.CreateNamespaceAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Create_MissingNamespace_Returns404NamespaceNotFound()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.Pods, "nope", RegistryTestHost.Pod("a")));
        Assert.Equal(404, e.Code);
        Assert.Equal("namespaces \"nope\" not found", e.Message);
    }

    [Fact]
    public async Task Create_BodyNamespaceDiffers_Returns400()
    {
        var pod = RegistryTestHost.Pod("a");
        pod.Metadata()["namespace"] = "other";
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.Pods, "default", pod));
        Assert.Equal(400, e.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", e.Message);
    }

    [Fact]
    public async Task Create_NewObject_SetsSystemFieldsAndTypeMeta()
    {
        var pod = RegistryTestHost.Pod("a");
        pod.Remove("apiVersion");
        pod.Remove("kind");
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        Assert.Equal("v1", created["apiVersion"]!.GetValue<string>());
        Assert.Equal("Pod", created["kind"]!.GetValue<string>());
        Assert.Equal("default", created.GetNamespace());
        Assert.True(Guid.TryParse(created.GetUid(), out _));
        Assert.Equal("2026-11-27T22:00:00Z", created.GetString("metadata", "creationTimestamp"));
        Assert.Equal(_host.Store.CurrentRevision.ToString(), created.GetResourceVersion());
        Assert.Equal(1, created.GetLong("metadata", "generation"));
        var stored = await _host.Api.GetAsync(KindRegistry.Pods, "default", "a");
        Assert.True(JsonNode.DeepEquals(created, stored));
    }

    [Fact]
    public async Task Create_GenerateName_AppendsFiveCharacters()
    {
        var pod = RegistryTestHost.Pod("");
        pod.Metadata().Remove("name");
        pod.Metadata()["generateName"] = "web-";
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        Assert.Matches("^web-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.GetName());
    }

    [Fact]
    public async Task Create_Existing_Returns409AlreadyExists()
    {
        await _host.CreatePodAsync("a");
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreatePodAsync("a"));
        Assert.Equal(409, e.Code);
        Assert.Equal(StatusReason.AlreadyExists, e.Reason);
        Assert.Equal("pods \"a\" already exists", e.Message);
    }

    [Fact]
    public async Task Create_WrongKindInBody_Returns400()
    {
        var pod = RegistryTestHost.Pod("a");
        pod["kind"] = "Service";
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.Pods, "default", pod));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Create_StrategyRejects_Returns422WithCauses()
    {
        var pod = RegistryTestHost.Pod("bad");
        pod.Remove("spec");
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.Pods, "default", pod));
        Assert.Equal(422, e.Code);
        Assert.Equal("Pod \"bad\" is invalid: spec.containers: Required value", e.Message);
        Assert.Equal("spec.containers", Assert.Single(e.Details!.Causes).Field);
    }

    [Fact]
    public async Task Create_NoName_Returns422()
    {
        var cm = RegistryTestHost.ConfigMap("");
        cm.Metadata().Remove("name");
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", cm));
        Assert.Equal(422, e.Code);
        Assert.Contains("metadata.name: Required value: name or generateName is required", e.Message);
    }

    [Fact]
    public async Task Create_ResourceVersionSet_Returns400()
    {
        var cm = RegistryTestHost.ConfigMap("a");
        cm.Metadata()["resourceVersion"] = "5";
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", cm));
        Assert.Equal("resourceVersion should not be set on objects to be created", e.Message);
    }

    [Fact]
    public async Task Create_DryRun_ReturnsObjectWithoutWriting()
    {
        var revision = _host.Store.CurrentRevision;
        var result = await _host.Api.CreateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod("dry"), new WriteOptions(DryRun: true));
        Assert.Equal("dry", result.GetName());
        Assert.NotNull(result.GetUid());
        Assert.Equal(revision, _host.Store.CurrentRevision);
        await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetAsync(KindRegistry.Pods, "default", "dry"));
    }

    [Fact]
    public async Task Create_TerminatingNamespace_Returns403()
    {
        await _host.CreateNamespaceAsync("doomed");
        await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "doomed");
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreatePodAsync("a", ns: "doomed"));
        Assert.Equal(403, e.Code);
        Assert.Equal("pods \"a\" is forbidden: unable to create new content in namespace doomed because it is being terminated", e.Message);
    }

    [Fact]
    public async Task Create_UnknownFieldStrict_Returns400StrictDecodingError()
    {
        var pod = RegistryTestHost.Pod("a");
        pod["spec"]!["foo"] = 1;
        pod["spec"]!["containers"]![0]!["bar"] = true;
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.CreateAsync(KindRegistry.Pods, "default", pod, new WriteOptions(FieldValidation: FieldValidation.Strict)));
        Assert.Equal(400, e.Code);
        Assert.Equal(
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].bar\", unknown field \"spec.foo\"",
            e.Message);
    }

    [Fact]
    public async Task Create_UnknownFieldWarn_WarnsAndPrunes()
    {
        var pod = RegistryTestHost.Pod("a");
        pod["spec"]!["foo"] = 1;
        var result = await _host.Api.CreateResourceAsync(KindRegistry.Pods, "default", pod, new WriteOptions(FieldValidation: FieldValidation.Warn));
        Assert.Equal("unknown field \"spec.foo\"", Assert.Single(result.Warnings));
        Assert.Null(result.Object.GetPath("spec", "foo"));
        Assert.NotNull(pod.GetPath("spec", "foo"));
    }

    [Fact]
    public async Task Create_WrongValueType_Returns400LikeGoDecoding()
    {
        var cm = RegistryTestHost.ConfigMap("cm");
        cm["data"] = new JsonObject { ["k"] = 1 };
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", cm));
        Assert.Equal(400, e.Code);
        Assert.Equal(
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
            e.Message);
    }

    [Fact]
    public async Task Create_WrongNestedType_NamesInnermostStruct()
    {
        var pod = RegistryTestHost.Pod("a");
        pod["spec"]!["containers"]![0]!["image"] = new JsonArray();
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateAsync(KindRegistry.Pods, "default", pod));
        Assert.EndsWith("json: cannot unmarshal array into Go struct field Container.spec.containers.image of type string", e.Message);
    }
}

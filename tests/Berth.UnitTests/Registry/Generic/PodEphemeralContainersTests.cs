using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Registry.Generic;

/// <summary>pods/{name}/ephemeralcontainers through the registry with the real pod strategy.</summary>
public sealed class PodEphemeralContainersTests : IAsyncLifetime
{
    private readonly InMemoryResourceStore _store = new(new StoreOptions());
    private readonly ApiRegistry _api;

    public PodEphemeralContainersTests() =>
        _api = new ApiRegistry(_store, new StrategyCatalog(KnownStrategies.All()), new FakeTimeProvider(RegistryTestHost.Start));

    public async Task InitializeAsync()
    {
        await _api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        var pod = RegistryTestHost.Pod("web", node: "node1");
        pod["spec"]!["containers"]![0]!["ports"] = JsonNode.Parse("""[{"containerPort":80}]""");
        await _api.CreateAsync(KindRegistry.Pods, "default", pod);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task StrategicPatch_AddsContainer_DefaultsItAndKeepsTheRestOfTheSpec()
    {
        var result = await PatchAsync(Debugger("debugger-a"));

        var added = Assert.Single(result.Object.GetArray("spec", "ephemeralContainers")!)!.AsObject();
        Assert.Equal("debugger-a", added.GetString("name"));
        Assert.Equal("/dev/termination-log", added.GetString("terminationMessagePath"));
        Assert.Equal("File", added.GetString("terminationMessagePolicy"));
        Assert.Equal("Always", added.GetString("imagePullPolicy"));
        Assert.True(added.GetBool("tty") == true);
        Assert.Equal("node1", result.Object.GetString("spec", "nodeName"));
        Assert.Single(result.Object.GetArray("spec", "containers")!);
        var stored = await _api.GetSubresourceAsync(KindRegistry.Pods, "default", "web", "ephemeralcontainers");
        Assert.Equal("Pod", stored.GetString("kind"));
        Assert.Equal("debugger-a", stored.GetArray("spec", "ephemeralContainers")![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_OtherSpecAndMetadataChanges_AreIgnored()
    {
        var pod = await _api.GetAsync(KindRegistry.Pods, "default", "web");
        pod["spec"]!["ephemeralContainers"] = new JsonArray(Debugger("debugger-a"));
        pod["spec"]!["containers"]![0]!["image"] = "nginx";
        pod["spec"]!["activeDeadlineSeconds"] = 5;
        pod.SetPath("x", "metadata", "labels", "added");

        var result = await _api.UpdateResourceAsync(KindRegistry.Pods, "default", "web", pod, "ephemeralcontainers");

        Assert.Equal("busybox", result.Object.GetArray("spec", "containers")![0]!["image"]!.GetValue<string>());
        Assert.Null(result.Object.GetPath("spec", "activeDeadlineSeconds"));
        Assert.Null(result.Object.GetPath("metadata", "labels"));
        Assert.Single(result.Object.GetArray("spec", "ephemeralContainers")!);
    }

    [Fact]
    public async Task Patch_ChangeExistingContainer_Returns422()
    {
        await PatchAsync(Debugger("debugger-a"));
        var changed = Debugger("debugger-a");
        changed["image"] = "alpine";

        var e = await Assert.ThrowsAsync<ApiException>(() => PatchAsync(changed));

        Assert.Equal(422, e.Code);
        var cause = Assert.Single(e.Details!.Causes!);
        Assert.Equal("spec.ephemeralContainers", cause.Field);
        Assert.Contains("existing ephemeral containers \"debugger-a\" may not be changed", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_RemoveExistingContainer_Returns422()
    {
        await PatchAsync(Debugger("debugger-a"));
        var pod = await _api.GetAsync(KindRegistry.Pods, "default", "web");
        pod.GetObject("spec")!.Remove("ephemeralContainers");

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.UpdateResourceAsync(KindRegistry.Pods, "default", "web", pod, "ephemeralcontainers"));

        Assert.Equal(422, e.Code);
        Assert.Contains("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger-a\" may not be removed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_ForbiddenFieldsAndDuplicateName_Return422WithFieldPaths()
    {
        var bad = Debugger("c");
        bad["ports"] = JsonNode.Parse("""[{"containerPort":81}]""");
        bad["readinessProbe"] = JsonNode.Parse("""{"exec":{"command":["true"]}}""");
        bad["resources"] = JsonNode.Parse("""{"limits":{"cpu":"1"}}""");
        bad["targetContainerName"] = "missing";

        var e = await Assert.ThrowsAsync<ApiException>(() => PatchAsync(bad));

        Assert.Equal(422, e.Code);
        var fields = e.Details!.Causes!.Select(c => c.Field + " " + c.Reason).ToList();
        Assert.Contains("spec.ephemeralContainers[0].name FieldValueDuplicate", fields);
        Assert.Contains("spec.ephemeralContainers[0].ports FieldValueForbidden", fields);
        Assert.Contains("spec.ephemeralContainers[0].readinessProbe FieldValueForbidden", fields);
        Assert.Contains("spec.ephemeralContainers[0].resources FieldValueForbidden", fields);
        Assert.Contains("spec.ephemeralContainers[0].targetContainerName FieldValueNotFound", fields);
        Assert.Null((await _api.GetAsync(KindRegistry.Pods, "default", "web")).GetPath("spec", "ephemeralContainers"));
    }

    [Fact]
    public async Task Patch_SecondContainer_KeepsTheFirst()
    {
        await PatchAsync(Debugger("debugger-a"));

        var result = await PatchAsync(Debugger("debugger-b"));

        Assert.Equal(["debugger-a", "debugger-b"],
            result.Object.GetArray("spec", "ephemeralContainers")!.Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_WithEphemeralContainers_Returns422()
    {
        var pod = RegistryTestHost.Pod("other");
        pod["spec"]!["ephemeralContainers"] = new JsonArray(Debugger("debugger-a"));

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(KindRegistry.Pods, "default", pod));

        Assert.Equal(422, e.Code);
        Assert.Contains("spec.ephemeralContainers: Forbidden: cannot be set on create", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MainResourceUpdate_AddingEphemeralContainer_IsForbidden()
    {
        var pod = await _api.GetAsync(KindRegistry.Pods, "default", "web");
        pod["spec"]!["ephemeralContainers"] = new JsonArray(Debugger("debugger-a"));

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.UpdateResourceAsync(KindRegistry.Pods, "default", "web", pod));

        Assert.Equal(422, e.Code);
    }

    private Task<WriteResult> PatchAsync(JsonObject container) =>
        _api.PatchResourceAsync(KindRegistry.Pods, "default", "web", PatchType.StrategicMerge,
            new JsonObject { ["spec"] = new JsonObject { ["ephemeralContainers"] = new JsonArray(container) } }, "ephemeralcontainers");

    private static JsonObject Debugger(string name) => new()
    {
        ["name"] = name, ["image"] = "busybox", ["command"] = new JsonArray("sh"), ["stdin"] = true, ["tty"] = true,
        ["terminationMessagePolicy"] = "File", ["resources"] = new JsonObject(),
    };
}

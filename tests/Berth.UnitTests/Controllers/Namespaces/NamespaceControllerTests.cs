using System.Text.Json.Nodes;
using Berth.Controllers.Namespaces;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.Namespaces;

public sealed class NamespaceControllerTests : IAsyncLifetime
{
    private readonly ControllerTestHost _host = new();
    private NamespaceController _controller = null!;

    public async Task InitializeAsync()
    {
        await new SystemNamespaces(_host.Api, NullLogger<SystemNamespaces>.Instance).RunAsync(CancellationToken.None);
        _controller = new NamespaceController(_host.Api, _host.Informers, TimeProvider.System, NullLogger<NamespaceController>.Instance);
        _host.Run(_controller.RunAsync);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _controller.Dispose();
    }

    private static JsonObject Pod(string name, string? node = null)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) };
        if (node is not null)
        {
            spec["nodeName"] = node;
            spec["terminationGracePeriodSeconds"] = 1;
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    [Fact]
    public async Task SystemNamespaces_RunTwice_CreatesTheFourOnce()
    {
        await new SystemNamespaces(_host.Api, NullLogger<SystemNamespaces>.Instance).RunAsync(CancellationToken.None);
        var names = (await _host.Api.ListAsync(KindRegistry.Namespaces, null)).Items.Select(n => n.GetName());
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], names);
    }

    [Fact]
    public async Task DeletedNamespace_ContentRemovedThenNamespaceGone()
    {
        await _host.CreateNamespaceAsync("team");
        await _host.Api.CreateAsync(KindRegistry.Pods, "team", Pod("unscheduled"));
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "team", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "cm" } });
        var marked = await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "team");
        Assert.Equal("Terminating", marked.Object.GetString("status", "phase"));
        await AsyncTestHelpers.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.Namespaces, null, "team"));
        Assert.Empty((await _host.Api.ListAsync(KindRegistry.ConfigMaps, "team")).Items);
        Assert.Empty((await _host.Api.ListAsync(KindRegistry.Pods, "team")).Items);
    }

    [Fact]
    public async Task DeletedNamespace_WaitsForTerminatingPodThenFinishes()
    {
        await _host.CreateNamespaceAsync("busy");
        await _host.Api.CreateAsync(KindRegistry.Pods, "busy", Pod("running", node: "node1"));
        await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "busy");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await _host.Api.GetAsync(KindRegistry.Pods, "busy", "running")).GetString("metadata", "deletionTimestamp") is not null);
        Assert.True(await _host.ExistsAsync(KindRegistry.Namespaces, null, "busy"));
        await _host.Api.DeleteAsync(KindRegistry.Pods, "busy", "running", new Berth.Registry.DeleteOptions(GracePeriodSeconds: 0));
        await AsyncTestHelpers.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.Namespaces, null, "busy"));
    }

    [Fact]
    public async Task DeletedNamespace_HeldByFinalizer_ReportsRemainingContentInConditions()
    {
        await _host.CreateNamespaceAsync("held");
        var cm = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "cm", ["finalizers"] = new JsonArray("example.com/hold") } };
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "held", cm);
        await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "held");
        JsonObject? ns = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (ns = await _host.Api.GetAsync(KindRegistry.Namespaces, null, "held")).GetArray("status", "conditions") is { Count: 5 });
        var conditions = ns!.GetArray("status", "conditions")!.OfType<JsonObject>().ToDictionary(c => c.GetString("type")!);
        Assert.Equal(("True", "SomeResourcesRemain", "Some resources are remaining: configmaps. has 1 resource instances"),
            Describe(conditions["NamespaceContentRemaining"]));
        Assert.Equal(("True", "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"),
            Describe(conditions["NamespaceFinalizersRemaining"]));
        Assert.Equal("False", conditions["NamespaceDeletionContentFailure"].GetString("status"));
        Assert.Equal("Terminating", ns!.GetString("status", "phase"));

        var held = await _host.Api.GetAsync(KindRegistry.ConfigMaps, "held", "cm");
        held.SetPath(new JsonArray(), "metadata", "finalizers");
        await _host.Api.UpdateAsync(KindRegistry.ConfigMaps, "held", held);
        await AsyncTestHelpers.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.Namespaces, null, "held"));
    }

    private static (string?, string?, string?) Describe(JsonObject c) => (c.GetString("status"), c.GetString("reason"), c.GetString("message"));
}

using System.Text.Json.Nodes;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.Controllers.EndpointSlice.EndpointTestObjects;

namespace Berth.UnitTests.Controllers.EndpointSliceMirroring;

public sealed class EndpointSliceMirroringControllerTests : IAsyncLifetime
{
    private readonly ControllerTestHost _host = new();
    private EndpointSliceMirroringController _controller = null!;

    public async Task InitializeAsync()
    {
        await _host.CreateNamespaceAsync("default");
        _controller = new EndpointSliceMirroringController(_host.Informers, _host.Api, TimeProvider.System,
            NullLogger<EndpointSliceMirroringController>.Instance);
        _host.Run(ct => _controller.RunAsync(2, ct));
        _host.Informers.Start(_host.Stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _controller.Dispose();
    }

    private static JsonObject Endpoints(string ready, string? notReady = null, JsonObject? labels = null)
    {
        var subset = new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = ready, ["hostname"] = "db-0" }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 5432, ["protocol"] = "TCP" }),
        };
        if (notReady is not null)
        {
            subset["notReadyAddresses"] = new JsonArray(new JsonObject { ["ip"] = notReady });
        }
        var metadata = new JsonObject { ["name"] = "web", ["namespace"] = "default" };
        if (labels is not null)
        {
            metadata["labels"] = labels;
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Endpoints", ["metadata"] = metadata, ["subsets"] = new JsonArray(subset) };
    }

    private async Task<List<JsonObject>> SlicesAsync() => [.. (await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default")).Items];

    private static string? FirstAddress(JsonObject slice) => slice["endpoints"]?[0]?["addresses"]?[0]?.GetValue<string>();

    [Fact]
    public async Task SelectorlessService_EndpointsMirroredThenFollowedAndRemoved()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service(selector: false));
        await _host.Api.CreateAsync(KindRegistry.Endpoints, "default", Endpoints("10.0.0.5", notReady: "10.0.0.6", labels: new JsonObject { ["team"] = "db" }));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await SlicesAsync()).Count == 1);
        var slice = (await SlicesAsync())[0];
        Assert.Equal("IPv4", slice.GetString("addressType"));
        Assert.Equal(MirroredSlices.ControllerName, slice.GetString("metadata", "labels", "endpointslice.kubernetes.io/managed-by"));
        Assert.Equal("web", slice.GetString("metadata", "labels", "kubernetes.io/service-name"));
        Assert.Equal("db", slice.GetString("metadata", "labels", "team"));
        Assert.Equal("Endpoints", slice["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("""[{"addresses":["10.0.0.5"],"conditions":{"ready":true},"hostname":"db-0"},{"addresses":["10.0.0.6"],"conditions":{"ready":false}}]""",
            slice["endpoints"]!.ToJsonString());
        Assert.Equal("""[{"name":"http","port":5432,"protocol":"TCP"}]""", slice["ports"]!.ToJsonString());

        var endpoints = await _host.Api.GetAsync(KindRegistry.Endpoints, "default", "web");
        endpoints["subsets"]![0]!["addresses"]![0]!["ip"] = "10.0.0.7";
        await _host.Api.UpdateAsync(KindRegistry.Endpoints, "default", endpoints);
        await AsyncTestHelpers.WaitUntilAsync(async () => FirstAddress((await SlicesAsync()).Single()) == "10.0.0.7");

        await _host.Api.DeleteAsync(KindRegistry.Endpoints, "default", "web");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await SlicesAsync()).Count == 0);
    }

    [Fact]
    public async Task ServiceWithSelectorOrSkipLabel_NotMirrored()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service(selector: true));
        await _host.Api.CreateAsync(KindRegistry.Endpoints, "default", Endpoints("10.0.0.5"));
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service("skip", selector: false));
        var skipped = Endpoints("10.0.0.8", labels: new JsonObject { [MirroredSlices.SkipMirrorLabel] = "true" });
        skipped.SetPath("skip", "metadata", "name");
        await _host.Api.CreateAsync(KindRegistry.Endpoints, "default", skipped);
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service("probe", selector: false));
        var probe = Endpoints("10.0.0.9");
        probe.SetPath("probe", "metadata", "name");
        await _host.Api.CreateAsync(KindRegistry.Endpoints, "default", probe);

        // The last pair is mirrored; once it is, the earlier ones have been synced too (one queue, in order).
        await AsyncTestHelpers.WaitUntilAsync(async () => (await SlicesAsync()).Count >= 1);
        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);

        Assert.Equal(["probe"], (await SlicesAsync()).Select(s => s.GetString("metadata", "labels", "kubernetes.io/service-name")));
    }
}

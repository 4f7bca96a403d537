using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Proxy;
using Berth.Proxy.Metrics;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

[Trait("Category", "Process")]
public sealed class ProxyServerTests
{
    private static JsonObject Stored<T>(T model, string apiVersion, string kind)
    {
        var obj = ApiJson.FromModel(model);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    [Fact]
    public async Task StartAsync_ExistingServiceAndSlice_ServesThenFollowsSliceChanges()
    {
        await using var backend = new TestBackend("a");
        var api = new FakeApiClient();
        var ip = NextClusterIP();
        api.Seed(KindRegistry.Services, Stored(Service("web", ip), "v1", "Service"));
        var slice = api.Seed(KindRegistry.EndpointSlices, Stored(Slice("web", "web-1", Ready(backend.Address)), "discovery.k8s.io/v1", "EndpointSlice"));
        await using var informers = new SharedInformerFactory(api, TimeProvider.System, NullLoggerFactory.Instance);
        await using var harness = new ProxierHarness();
        var server = new ProxyServer(informers, harness.Proxier, TimeProvider.System, NullLogger<ProxyServer>.Instance);

        await server.StartAsync(CancellationToken.None).DefaultTimeout();
        try
        {
            Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));

            slice["endpoints"] = new JsonArray();
            await api.UpdateAsync(KindRegistry.EndpointSlices, "default", slice).DefaultTimeout();

            await AsyncTestHelpers.WaitUntilAsync(() => harness.Proxier.ListeningAddresses.Count == 0);
            await AsyncTestHelpers.WaitUntilAsync(() => ProxyClient.IsRefusedAsync(ProxierHarness.At(ip)), because: "the listener is closed");
            Assert.Contains("berth_proxy_network_programming_duration_seconds_count 2", await harness.ScrapeAsync());
        }
        finally
        {
            await server.StopAsync(CancellationToken.None).DefaultTimeout();
        }
    }
}

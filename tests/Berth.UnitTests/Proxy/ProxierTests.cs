using System.Net.Sockets;
using Berth.Proxy;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

[Trait("Category", "Process")]
public sealed class ProxierTests
{
    [Fact]
    public async Task Connect_ReadyEndpoint_CopiesBytesBothWaysAndHalfCloses()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(backend.Address)));

        await using var client = await ProxyClient.ConnectAsync(ProxierHarness.At(ip));

        Assert.Equal("a", client.Backend);
        Assert.Equal("hello", await client.EchoAsync("hello"));
        Assert.Equal("", await client.ShutdownAndReadToEndAsync());
    }

    [Fact]
    public async Task Connect_SeveralReadyEndpoints_RoundRobins()
    {
        await using var a = new TestBackend("a");
        await using var b = new TestBackend("b");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address), Ready(b.Address)));

        var seen = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            seen.Add(await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        }

        Assert.Equal(2, seen.Count(s => s == "a"));
        Assert.Equal(2, seen.Count(s => s == "b"));
    }

    [Fact]
    public async Task Sync_NoEndpoints_ListenerClosedAndConnectionRefused()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip));

        var refused = await Assert.ThrowsAsync<SocketException>(() => ProxyClient.ConnectAsync(ProxierHarness.At(ip)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        await proxy.ApplyAsync(null, Slice("web", "web-1", Ready(backend.Address)));
        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));

        await proxy.ApplyAsync(null, Slice("web", "web-1"));
        refused = await Assert.ThrowsAsync<SocketException>(() => ProxyClient.ConnectAsync(ProxierHarness.At(ip)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Connect_OnlyTerminatingServingEndpoint_FallsBackToIt()
    {
        await using var old = new TestBackend("old");
        await using var fresh = new TestBackend("fresh");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Terminating(old.Address)));

        Assert.Equal("old", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        Assert.True(proxy.Proxier.Snapshot.Ports.Values.Single().UsingTerminatingFallback);

        await proxy.ApplyAsync(null, Slice("web", "web-1", Terminating(old.Address), Ready(fresh.Address)));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("fresh", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        }

        await proxy.ApplyAsync(null, Slice("web", "web-1", Terminating(old.Address, serving: false)));
        await Assert.ThrowsAsync<SocketException>(() => ProxyClient.ConnectAsync(ProxierHarness.At(ip)));
    }

    [Fact]
    public async Task Connect_FirstEndpointRefuses_RetriesNextAndCountsDialFailure()
    {
        await using var live = new TestBackend("live");
        var dead = TestBackend.ClosedAddress();
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(dead), Ready(live.Address)));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("live", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        }

        var port = proxy.Proxier.Snapshot.Ports.Keys.Single();
        Assert.Equal(2, proxy.Stats.Find(port, dead)!.DialFailures);
    }

    [Fact]
    public async Task EstablishedConnection_EndpointRemoved_KeepsWorkingUntilClosed()
    {
        await using var a = new TestBackend("a");
        await using var b = new TestBackend("b");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));
        await using var longLived = await ProxyClient.ConnectAsync(ProxierHarness.At(ip));

        await proxy.ApplyAsync(null, Slice("web", "web-1", Terminating(a.Address), Ready(b.Address)));

        Assert.Equal("b", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        Assert.Equal("a", longLived.Backend);
        Assert.Equal("still here", await longLived.EchoAsync("still here"));
    }

    [Fact]
    public async Task Connect_NodePort_ProxiesLikeClusterIP()
    {
        await using var backend = new TestBackend("a");
        var nodeAddress = NextClusterIP();
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = nodeAddress });
        var service = Service("web", NextClusterIP(), new k8s.Models.V1ServicePort { Name = "http", Port = 80, NodePort = 30080, Protocol = "TCP" });
        service.Spec.Type = "NodePort";
        await proxy.ApplyAsync(service, Slice("web", "web-1", Ready(backend.Address)));

        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(nodeAddress, 30080)));
    }

    [Fact]
    public async Task Connect_ClientIPAffinity_SticksToOneEndpoint()
    {
        await using var a = new TestBackend("a");
        await using var b = new TestBackend("b");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        var service = Service("web", ip);
        service.Spec.SessionAffinity = "ClientIP";
        await proxy.ApplyAsync(service, Slice("web", "web-1", Ready(a.Address), Ready(b.Address)));

        var first = await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(first, await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        }
    }

    [Fact]
    public async Task Scrape_AfterConnections_ExportsPerEndpointCountersAndLatency()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(backend.Address)));
        await using (var client = await ProxyClient.ConnectAsync(ProxierHarness.At(ip)))
        {
            await client.EchoAsync("12345");
            var text = await proxy.ScrapeAsync();
            Assert.Contains($"berth_proxy_endpoint_active_connections{{namespace=\"default\",service=\"web\",port=\"http\",endpoint=\"{backend.Address}\"}} 1", text);
        }
        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Proxier.Connections.OpenConnections == 0);

        var scraped = await proxy.ScrapeAsync();

        var labels = $"{{namespace=\"default\",service=\"web\",port=\"http\",endpoint=\"{backend.Address}\"}}";
        Assert.Contains($"berth_proxy_endpoint_connections_total{labels} 1", scraped);
        Assert.Contains($"berth_proxy_endpoint_bytes_in_total{labels} 6", scraped);
        Assert.Contains($"berth_proxy_endpoint_bytes_out_total{labels} 8", scraped);
        Assert.Contains("berth_proxy_network_programming_duration_seconds_count 1", scraped);
    }
}

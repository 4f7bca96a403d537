using Berth.Proxy;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

[Trait("Category", "Process")]
public sealed class ProxierSyncTests
{
    [Fact]
    public async Task OnEndpointSliceUpdate_SyncLoopIdle_SnapshotPublishedBeforeHandlerReturns()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        using var stop = new CancellationTokenSource();
        var loop = proxy.Proxier.RunAsync(stop.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Proxier.AppliesInline, because: "the sync loop finished its first sync");
        var ip = NextClusterIP();

        proxy.Proxier.OnServiceUpdate(null, Service("web", ip));
        proxy.Proxier.OnEndpointSliceUpdate(Slice("web", "web-1", Ready(backend.Address)), removed: false);

        var port = Assert.Single(proxy.Proxier.Snapshot.Ports.Values);
        Assert.Equal(backend.Address, Assert.Single(port.Usable).Address);
        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
        await stop.CancelAsync();
        await loop.DefaultTimeout();
        Assert.False(proxy.Proxier.AppliesInline);
    }

    [Fact]
    public async Task OnEndpointSliceUpdate_AfterStop_OpensNoListener()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        await proxy.Proxier.StopAsync(CancellationToken.None).DefaultTimeout();
        var ip = NextClusterIP();

        proxy.Proxier.OnServiceUpdate(null, Service("web", ip));
        proxy.Proxier.OnEndpointSliceUpdate(Slice("web", "web-1", Ready(backend.Address)), removed: false);
        await proxy.Proxier.SyncAsync().DefaultTimeout();

        Assert.Empty(proxy.Proxier.ListeningAddresses);
        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => ProxyClient.ConnectAsync(ProxierHarness.At(ip)));
    }
}

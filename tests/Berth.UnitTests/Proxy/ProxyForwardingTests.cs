using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Proxy;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

/// <summary>The copy path of both forwarding engines: integrity under backpressure, half-close, refused dials, shutdown.</summary>
[Trait("Category", "Process")]
public sealed class ProxyForwardingTests
{
    public static TheoryData<ForwardingMode> Modes => [ForwardingMode.EventLoop, ForwardingMode.Async];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Relay_SeveralMegabytesEchoedWhileSending_ArriveIntactAndCounted(ForwardingMode mode)
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = null, Forwarding = mode });
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(backend.Address)));
        var payload = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(ProxierHarness.At(ip)).DefaultTimeout();

        var sending = Task.Run(async () =>
        {
            await client.SendAsync(payload);
            client.Shutdown(SocketShutdown.Send);
        });
        var received = await ReadToEndAsync(client).DefaultTimeout(TimeSpan.FromSeconds(30));
        await sending.DefaultTimeout();

        byte[] expected = [.. "a\n"u8, .. payload];
        Assert.Equal(expected.Length, received.Length);
        Assert.True(expected.AsSpan().SequenceEqual(received), "the echoed bytes differ from the bytes sent");
        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Proxier.Connections.OpenConnections == 0);
        var stats = proxy.Stats.Find(proxy.Proxier.Snapshot.Ports.Keys.Single(), backend.Address)!;
        Assert.Equal(payload.Length, stats.BytesIn);
        Assert.Equal(payload.Length + 2, stats.BytesOut);
        Assert.Equal(0, stats.ActiveConnections);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Connect_HalfCloseAndRefusedEndpoint_EchoesThenEndsCleanly(ForwardingMode mode)
    {
        await using var live = new TestBackend("live");
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = null, Forwarding = mode });
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(TestBackend.ClosedAddress()), Ready(live.Address)));

        for (var i = 0; i < 2; i++)
        {
            await using var client = await ProxyClient.ConnectAsync(ProxierHarness.At(ip));
            Assert.Equal("live", client.Backend);
            Assert.Equal("ping", await client.EchoAsync("ping"));
            Assert.Equal("", await client.ShutdownAndReadToEndAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task StopAsync_OpenConnection_ResetsItAndCountsNoneOpen(ForwardingMode mode)
    {
        await using var backend = new TestBackend("a");
        var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = null, Forwarding = mode });
        var ip = NextClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(backend.Address)));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(ProxierHarness.At(ip)).DefaultTimeout();
        var greeting = new byte[2];
        Assert.Equal(2, await client.ReceiveAsync(greeting).DefaultTimeout());

        await proxy.DisposeAsync().AsTask().DefaultTimeout();

        Assert.Equal(0, proxy.Proxier.Connections.OpenConnections);
        var ended = await Record.ExceptionAsync(async () => Assert.Equal(0, await client.ReceiveAsync(greeting).DefaultTimeout()));
        Assert.True(ended is null or SocketException { SocketErrorCode: SocketError.ConnectionReset });
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return received.ToArray();
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Proxy;
using Berth.Proxy.Listening;
using Berth.Proxy.Model;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

/// <summary>UDP service ports through the proxy core: real loopback sockets, flows per client, conntrack-like timeouts.</summary>
[Trait("Category", "Process")]
public sealed class UdpProxyTests
{
    private static readonly ServicePortName Dns = new("default", "dns", "dns");
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task UdpPort_ReadyEndpoint_ReplyComesFromClusterIPAndIsCounted()
    {
        await using var backend = new UdpTestBackend("a");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(UdpService(ip), UdpSlice(Ready(backend.Address)));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendToAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None, new IPEndPoint(ip, 53));
        var buffer = new byte[256];
        var reply = await client.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).DefaultTimeout(ReplyTimeout);

        Assert.Equal("a:ping", Encoding.ASCII.GetString(buffer, 0, reply.ReceivedBytes));
        Assert.Equal(new IPEndPoint(ip, 53), reply.RemoteEndPoint);
        Assert.Contains(new ListenAddress(new IPEndPoint(ip, 53), ProtocolType.Udp), proxy.Proxier.ListeningAddresses);
        var stats = proxy.Stats.Find(Dns, backend.Address)!;
        Assert.Equal((4, 6, 1, 1), (stats.BytesIn, stats.BytesOut, stats.ActiveConnections, stats.TotalConnections));
        Assert.Equal(1, proxy.Proxier.Datagrams.OpenFlows);
    }

    [Fact]
    public async Task UdpPort_TwoClients_EachStaysOnOneEndpointAndTheyAreSpread()
    {
        await using var a = new UdpTestBackend("a");
        await using var b = new UdpTestBackend("b");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(UdpService(ip), UdpSlice(Ready(a.Address), Ready(b.Address)));
        using var first = Connected(ip);
        using var second = Connected(ip);

        var firstBackends = new HashSet<string>();
        var secondBackends = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            firstBackends.Add(await ExchangeAsync(first, $"x{i}"));
            secondBackends.Add(await ExchangeAsync(second, $"y{i}"));
        }

        Assert.Single(firstBackends);
        Assert.Single(secondBackends);
        Assert.NotEqual(firstBackends.Single(), secondBackends.Single());
    }

    [Fact]
    public async Task UdpPort_EndpointStopsBeingReady_NextDatagramGoesToAReadyOne()
    {
        await using var a = new UdpTestBackend("a");
        await using var b = new UdpTestBackend("b");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(UdpService(ip), UdpSlice(Ready(a.Address)));
        using var client = Connected(ip);
        Assert.Equal("a", await ExchangeAsync(client, "1"));

        await proxy.ApplyAsync(slices: UdpSlice(Terminating(a.Address), Ready(b.Address)));

        Assert.Equal("b", await ExchangeAsync(client, "2"));
        Assert.Equal("b", await ExchangeAsync(client, "3"));
        Assert.Equal(0, proxy.Stats.Find(Dns, a.Address)!.ActiveConnections);
        Assert.Equal(1, proxy.Proxier.Datagrams.OpenFlows);
    }

    [Fact]
    public async Task UdpPort_NoUsableEndpoint_DatagramRefusedWithPortUnreachable()
    {
        await using var a = new UdpTestBackend("a");
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(UdpService(ip), UdpSlice(Terminating(a.Address, serving: false)));
        using var client = Connected(ip);

        Assert.Empty(proxy.Proxier.ListeningAddresses);
        await client.SendAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None);
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ReceiveAsync(new byte[64], SocketFlags.None).DefaultTimeout(ReplyTimeout));

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(0, a.Received);
    }

    [Fact]
    public async Task ServicePort53_TcpAndUdp_BothListenAndReachTheSamePod()
    {
        await using var tcp = new TestBackend("t");
        await using var udp = new UdpTestBackend("u", address: tcp.Address.Address);
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        var service = UdpService(ip);
        service.Spec.Ports = [.. service.Spec.Ports, new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP" }];
        var slice = UdpSlice(Ready(tcp.Address));
        slice.Ports = [.. slice.Ports, new Discoveryv1EndpointPort { Name = "dns-tcp", Port = BackendPort, Protocol = "TCP" }];
        await proxy.ApplyAsync(service, slice);
        using var client = Connected(ip);

        Assert.Equal("u", await ExchangeAsync(client, "q"));
        Assert.Equal("t", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip, 53)));
        Assert.Equal(2, proxy.Proxier.ListeningAddresses.Count(a => a.Address.Equals(new IPEndPoint(ip, 53))));
    }

    [Fact]
    public async Task UdpFlow_NoDatagramForTheTimeout_Forgotten30sOr120sOnceAStream()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silent = new UdpTestBackend("s", reply: false);
        await using var echo = new UdpTestBackend("e");
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = null }, time);
        var silentIP = NextClusterIP();
        var echoIP = NextClusterIP();
        await proxy.ApplyAsync(UdpService(silentIP), UdpSlice(Ready(silent.Address)));
        await proxy.ApplyAsync(UdpService(echoIP, "echo"), UdpSlice(Ready(echo.Address), service: "echo"));
        using var toSilent = Connected(silentIP);
        using var oneShot = Connected(echoIP);
        using var stream = Connected(echoIP);
        await toSilent.SendAsync(Encoding.ASCII.GetBytes("hello"), SocketFlags.None);
        Assert.Equal("e", await ExchangeAsync(oneShot, "query"));
        Assert.Equal("e", await ExchangeAsync(stream, "one"));
        Assert.Equal("e", await ExchangeAsync(stream, "two"));
        await AsyncTestHelpers.WaitUntilAsync(() => silent.Received == 1, because: "the silent backend got the datagram");
        Assert.Equal(3, proxy.Proxier.Datagrams.OpenFlows);

        time.Advance(TimeSpan.FromSeconds(31));
        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Proxier.Datagrams.OpenFlows == 1,
            because: "the unreplied flow and the one-shot query idle out after 30 s");
        time.Advance(TimeSpan.FromSeconds(90));

        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Proxier.Datagrams.OpenFlows == 0, because: "the stream idles out after 120 s");
        Assert.Equal("e", await ExchangeAsync(stream, "again"));
    }

    [Fact]
    public async Task UdpFlowTable_Full_NewClientsDatagramDropped()
    {
        await using var echo = new UdpTestBackend("e");
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = null, UdpMaxFlows = 1 });
        var ip = NextClusterIP();
        await proxy.ApplyAsync(UdpService(ip), UdpSlice(Ready(echo.Address)));
        using var first = Connected(ip);
        using var second = Connected(ip);
        Assert.Equal("e", await ExchangeAsync(first, "in"));

        await second.SendAsync(Encoding.ASCII.GetBytes("dropped"), SocketFlags.None);

        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.ReceiveAsync(new byte[64], SocketFlags.None, wait.Token).AsTask());
        Assert.Equal(1, echo.Received);
        Assert.Equal("e", await ExchangeAsync(first, "still"));
    }

    [Fact]
    public async Task UdpEndpoint_NothingBound_CountsAFailureAndEndsTheFlow()
    {
        var closed = TestBackend.ClosedAddress();
        await using var proxy = new ProxierHarness();
        var ip = NextClusterIP();
        await proxy.ApplyAsync(UdpService(ip), UdpSlice(Ready(closed)));
        using var client = Connected(ip);

        await client.SendAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None);

        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Stats.Find(Dns, closed)?.DialFailures == 1, because: "the endpoint answered ICMP port unreachable");
        await AsyncTestHelpers.WaitUntilAsync(() => proxy.Proxier.Datagrams.OpenFlows == 0, because: "the refused flow ended");
    }

    private static V1Service UdpService(IPAddress ip, string name = "dns") =>
        Service(name, ip, new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" });

    private static V1EndpointSlice UdpSlice(params (IPEndPoint, bool, bool, bool)[] endpoints) => UdpSlice(endpoints, "dns");

    private static V1EndpointSlice UdpSlice((IPEndPoint, bool, bool, bool) endpoint, string service) => UdpSlice([endpoint], service);

    private static V1EndpointSlice UdpSlice((IPEndPoint, bool, bool, bool)[] endpoints, string service)
    {
        var slice = Slice(service, service + "-1", endpoints);
        slice.Ports = [new Discoveryv1EndpointPort { Name = "dns", Port = BackendPort, Protocol = "UDP" }];
        return slice;
    }

    private static Socket Connected(IPAddress ip)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(ip, 53));
        return socket;
    }

    /// <summary>Sends <paramref name="payload"/> and returns the name of the backend that answered.</summary>
    private static async Task<string> ExchangeAsync(Socket client, string payload)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(payload), SocketFlags.None);
        var buffer = new byte[256];
        var count = await client.ReceiveAsync(buffer, SocketFlags.None).DefaultTimeout(ReplyTimeout);
        var reply = Encoding.ASCII.GetString(buffer, 0, count);
        Assert.EndsWith(":" + payload, reply);
        return reply[..reply.IndexOf(':')];
    }
}

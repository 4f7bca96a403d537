using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Proxy;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

/// <summary>Container hostPorts of this node's pods, served on the node address and forwarded to the pod, as the CNI portmap plugin does.</summary>
[Trait("Category", "Process")]
public sealed class HostPortMapperTests
{
    private const int HostPort = 18080;

    private static JsonObject Pod(string name, IPAddress podIP, string node = "node-a", string protocol = "TCP", string phase = "Running") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "web",
                ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = BackendPort, ["hostPort"] = HostPort, ["protocol"] = protocol }),
            }),
        },
        ["status"] = new JsonObject { ["phase"] = phase, ["podIP"] = podIP.ToString() },
    };

    [Fact]
    public async Task HostPort_ServedOnTheNodeAddress_UntilThePodIsGone()
    {
        await using var backend = new TestBackend("a");
        var nodeAddress = NextClusterIP();
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = nodeAddress, NodeName = "node-a" });
        var mapper = proxy.Proxier.HostPorts!;
        var pod = Pod("web-0", backend.Address.Address);

        mapper.OnPod(pod, deleted: false);
        await proxy.Proxier.SyncAsync().DefaultTimeout();

        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(new IPEndPoint(nodeAddress, HostPort)));
        Assert.Contains("service=\"pod/web-0\"", await proxy.ScrapeAsync(), StringComparison.Ordinal);
        mapper.OnPod(pod, deleted: true);
        await proxy.Proxier.SyncAsync().DefaultTimeout();
        Assert.True(await ProxyClient.IsRefusedAsync(new IPEndPoint(nodeAddress, HostPort)));
        Assert.Equal(0, mapper.Count);
    }

    [Fact]
    public async Task OtherNodeOrTerminalPod_NotMapped()
    {
        var nodeAddress = NextClusterIP();
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = nodeAddress, NodeName = "node-a" });
        var mapper = proxy.Proxier.HostPorts!;

        mapper.OnPod(Pod("elsewhere", NextBackendIP(), node: "node-b"), deleted: false);
        mapper.OnPod(Pod("done", NextBackendIP(), phase: "Succeeded"), deleted: false);
        await proxy.Proxier.SyncAsync().DefaultTimeout();

        Assert.Equal(0, mapper.Count);
        Assert.Empty(proxy.Proxier.ListeningAddresses);
    }

    [Fact]
    public async Task UdpHostPort_Forwarded()
    {
        await using var backend = new UdpTestBackend("u");
        var nodeAddress = NextClusterIP();
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = nodeAddress, NodeName = "node-a" });

        proxy.Proxier.HostPorts!.OnPod(Pod("dns-0", backend.Address.Address, protocol: "UDP"), deleted: false);
        await proxy.Proxier.SyncAsync().DefaultTimeout();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(new IPEndPoint(nodeAddress, HostPort));
        await client.SendAsync(Encoding.ASCII.GetBytes("q"), SocketFlags.None);
        var buffer = new byte[64];
        var count = await client.ReceiveAsync(buffer, SocketFlags.None).DefaultTimeout(TimeSpan.FromSeconds(5));
        Assert.Equal("u:q", Encoding.ASCII.GetString(buffer, 0, count));
    }

    [Fact]
    public async Task WithoutANodeName_NoMapper()
    {
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = IPAddress.Loopback });

        Assert.Null(proxy.Proxier.HostPorts);
    }
}

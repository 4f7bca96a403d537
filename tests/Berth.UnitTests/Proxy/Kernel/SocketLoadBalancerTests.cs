using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Proxy;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy.Kernel;

/// <summary>
/// <c>--proxy-mode ebpf</c> against the real kernel: a connect to ClusterIP:port reaches a backend directly (the
/// backend sees the client's own address:port, the client's peer is the pod), endpoint changes reach the maps within
/// the sync, services the kernel path leaves alone still go through user space, and the program is gone once the
/// proxy stops. Skipped where the program cannot be attached (<see cref="BpfFactAttribute"/>).
/// </summary>
[Collection(KernelDataPathCollection.Name)]
public sealed class SocketLoadBalancerTests
{
    private static ProxierHarness EbpfProxy() => new(new ProxyOptions { NodePortAddress = null, Mode = ProxyMode.Ebpf });

    /// <summary>Connects to <paramref name="target"/> and reads the greeting: (backend's name, client's local end, client's peer).</summary>
    private static async Task<(string Backend, IPEndPoint Local, IPEndPoint Peer)> ConnectAsync(IPEndPoint target)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(target).DefaultTimeout();
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        var name = await reader.ReadLineAsync().DefaultTimeout() ?? throw new IOException("closed before the greeting");
        return (name, (IPEndPoint)client.Client.LocalEndPoint!, (IPEndPoint)client.Client.RemoteEndPoint!);
    }

    [BpfFact]
    public async Task Connect_ClusterIP_BackendSeesTheClientDirectly()
    {
        await using var a = new TestBackend("a");
        await using var b = new TestBackend("b");
        await using var c = new TestBackend("c");
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address), Ready(b.Address), Ready(c.Address)));
        var backends = new[] { a, b, c }.ToDictionary(x => x.Name);

        Assert.Equal(ProxyMode.Ebpf, proxy.Proxier.Mode);
        for (var i = 0; i < 30; i++)
        {
            var (name, local, peer) = await ConnectAsync(ProxierHarness.At(ip));
            Assert.Equal(backends[name].Address, peer);
            Assert.Contains(local, backends[name].Peers);
        }
        Assert.All(backends.Values, x => Assert.True(x.Accepted > 0, $"{x.Name} got no connection of 30"));
    }

    [BpfFact]
    public async Task Scrape_KernelRoutedConnects_CountedPerEndpoint()
    {
        await using var a = new TestBackend("a");
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));

        for (var i = 0; i < 3; i++)
        {
            await ConnectAsync(ProxierHarness.At(ip));
        }

        var text = await proxy.ScrapeAsync();
        Assert.Contains($"berth_proxy_endpoint_kernel_connections_total{{namespace=\"default\",service=\"web\",port=\"http\",endpoint=\"{a.Address}\"}} 3", text);
        Assert.Contains("berth_proxy_mode{mode=\"ebpf\"} 1", text);
        Assert.Contains("berth_proxy_mode{mode=\"userspace\"} 0", text);
    }

    [BpfFact]
    public async Task EndpointRemoved_NextConnectsAvoidIt()
    {
        await using var a = new TestBackend("a");
        await using var b = new TestBackend("b");
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address), Ready(b.Address)));

        await proxy.ApplyAsync(null, Slice("web", "web-1", Ready(a.Address), Terminating(b.Address)));
        var accepted = b.Accepted;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("a", (await ConnectAsync(ProxierHarness.At(ip))).Backend);
        }

        Assert.Equal(accepted, b.Accepted);
    }

    [BpfFact]
    public async Task NoEndpoints_PassesThroughAndUserSpaceRefuses()
    {
        await using var a = new TestBackend("a");
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));
        Assert.Equal("a", (await ConnectAsync(ProxierHarness.At(ip))).Backend);

        await proxy.ApplyAsync(null, Slice("web", "web-1"));

        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(ProxierHarness.At(ip)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [BpfFact]
    public async Task ClientIPAffinity_LeftToUserSpace()
    {
        await using var a = new TestBackend("a");
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        var service = Service("web", ip);
        service.Spec.SessionAffinity = "ClientIP";
        await proxy.ApplyAsync(service, Slice("web", "web-1", Ready(a.Address)));

        var (name, _, peer) = await ConnectAsync(ProxierHarness.At(ip));

        Assert.Equal(("a", ProxierHarness.At(ip)), (name, peer));
    }

    [BpfFact]
    public async Task TwoServersSameClusterIP_OnlyTheListenerHolderProgramsIt()
    {
        await using var a = new TestBackend("a");
        await using var b = new TestBackend("b");
        await using var second = EbpfProxy();                       // attached first, so its program would run first
        await using var first = EbpfProxy();
        var ip = NextKernelClusterIP();
        await first.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));

        await second.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(b.Address)));   // its bind of ip:80 fails

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("a", (await ConnectAsync(ProxierHarness.At(ip))).Backend);
        }
        Assert.Equal(0, b.Accepted);
    }

    [Fact]
    public async Task Attach_NotACgroup_FallsBackToUserspace()
    {
        await using var a = new TestBackend("a");
        var notACgroup = Directory.CreateTempSubdirectory("berth-not-a-cgroup-");
        try
        {
            await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = null, Mode = ProxyMode.Ebpf, CgroupRoot = notACgroup.FullName });
            var ip = NextKernelClusterIP();
            await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));

            var (name, _, peer) = await ConnectAsync(ProxierHarness.At(ip));

            Assert.Equal((ProxyMode.Userspace, "a", ProxierHarness.At(ip)), (proxy.Proxier.Mode, name, peer));
            Assert.Contains("berth_proxy_mode{mode=\"userspace\"} 1", await proxy.ScrapeAsync());
        }
        finally
        {
            notACgroup.Delete();
        }
    }

    [BpfFact]
    public async Task Stop_DetachesTheProgram()
    {
        await using var a = new TestBackend("a");
        var ip = NextKernelClusterIP();
        await using (var proxy = EbpfProxy())
        {
            await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));
            Assert.Equal(a.Address, (await ConnectAsync(ProxierHarness.At(ip))).Peer);
        }
        var accepted = a.Accepted;

        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(ProxierHarness.At(ip)));

        Assert.Equal((SocketError.ConnectionRefused, accepted), (refused.SocketErrorCode, a.Accepted));
    }
}

/// <summary>The kernel data-path tests run one at a time: each attaches a program that sees every connect of the machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelDataPathCollection
{
    public const string Name = "kernel data path";
}

using System.Net;
using System.Net.Sockets;
using static Berth.E2ETests.Proxy.ProxyManifests;

namespace Berth.E2ETests.Proxy;

/// <summary>
/// <c>berth server --proxy-mode ebpf</c> with kubectl and real pods: a connection to the ClusterIP goes straight to a
/// pod (its peer is the pod, not the ClusterIP), and after <c>kill -9</c> of the server no connect to the ClusterIP is
/// rewritten any more, although the pods still serve: the program went with the process; and without the flag the
/// server runs the same kernel path (the default). Skipped without root and cgroup2.
/// </summary>
[Trait("Category", "E2E")]
public sealed class EbpfServiceTests
{
    [EbpfServerFact]
    public async Task ClusterIP_RoutedInKernel_AndDetachedAfterKillDashNine()
    {
        var server = await BerthProcess.StartAsync(null, 0, "--proxy-mode", "ebpf");
        try
        {
            var kubectl = new Kubectl(server);
            await AsyncTestHelpers.WaitUntilAsync(async () => (await kubectl.RunAsync("get ns default")).ExitCode == 0, because: "namespace default exists");
            Assert.Contains("Service proxy mode ebpf", server.Output);
            await kubectl.OkAsync("apply -f -", Service("default", "web", "web"));
            await kubectl.OkAsync("apply -f -", NamePod("default", "web-0", "web"));
            await kubectl.OkAsync("apply -f -", NamePod("default", "web-1", "web"));
            var ip = IPAddress.Parse((await kubectl.OkAsync("get svc web -o jsonpath={.spec.clusterIP}")).Trim());
            var target = new IPEndPoint(ip, 80);
            await ProxyServerFixture.WaitForBackendsAsync(target, "web-0", "web-1");

            await using (var http = await ServiceHttp.ConnectAsync(target))
            {
                Assert.StartsWith("web-", await http.GetAsync());
                Assert.NotEqual(target, http.Peer);
                Assert.Equal(8080, http.Peer.Port);
            }
            var podIP = IPAddress.Parse((await kubectl.OkAsync("get pod web-0 -o jsonpath={.status.podIP}")).Trim());

            await server.KillAsync();

            Assert.Equal("web-0", await ServiceHttp.GetOnceAsync(new IPEndPoint(podIP, 8080)));
            await AsyncTestHelpers.WaitUntilAsync(async () => await IsRefusedAsync(target), TimeSpan.FromSeconds(5),
                "a connect to the ClusterIP is no longer rewritten to a pod once the server is gone");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [EbpfServerFact]
    public async Task DefaultMode_IsTheKernelPathWhereTheMachineAllowsIt()
    {
        var server = await BerthProcess.StartAsync(null, 0);
        try
        {
            var kubectl = new Kubectl(server);
            await AsyncTestHelpers.WaitUntilAsync(async () => (await kubectl.RunAsync("get ns default")).ExitCode == 0, because: "namespace default exists");

            Assert.Contains("Service proxy mode ebpf", server.Output);
            Assert.Contains("berth_proxy_mode{mode=\"ebpf\"} 1", await kubectl.OkAsync("get --raw /metrics"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<bool> IsRefusedAsync(IPEndPoint target)
    {
        try
        {
            await ServiceHttp.GetOnceAsync(target, TimeSpan.FromSeconds(2));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}

/// <summary>Skips unless this test process is privileged and a cgroup2 hierarchy is mounted, which the server's eBPF mode needs.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EbpfServerFactAttribute : FactAttribute
{
    public EbpfServerFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "--proxy-mode ebpf needs root (CAP_BPF and CAP_NET_ADMIN)";
        }
        else if (Berth.Bpf.Cgroup2Mount.Find() is null)
        {
            Skip = "--proxy-mode ebpf needs a cgroup2 hierarchy";
        }
    }
}

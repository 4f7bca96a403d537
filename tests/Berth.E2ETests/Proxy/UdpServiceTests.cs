using System.Net;
using System.Net.Sockets;
using System.Text;
using static Berth.E2ETests.Proxy.ProxyManifests;

namespace Berth.E2ETests.Proxy;

/// <summary>
/// A UDP Service through the real server's proxy: a python3 UDP server in a pod behind port 53/UDP with a named
/// targetPort; datagrams to the ClusterIP reach the pod and its replies come back from the ClusterIP; the per-endpoint
/// metrics count the flow; once the pod is gone the port answers ICMP port unreachable, as kube-proxy's REJECT does.
/// </summary>
[Trait("Category", "E2E")]
[Collection(ProxyCollection.Name)]
public sealed class UdpServiceTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task UdpService_DatagramsReachThePod_ThenRefusedOnceItIsGone()
    {
        var ns = await fixture.NewNamespaceAsync("udp");
        await K.OkAsync("apply -f -", UdpService(ns, "dns", "dns"));
        await K.OkAsync("apply -f -", UdpNamePod(ns, "dns-0", "dns"));
        var target = new IPEndPoint((await fixture.ClusterAddressAsync(ns, "dns")).Address, 53);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var (reply, from) = await ExchangeUntilAnsweredAsync(client, target, "ping");

        Assert.Equal("dns-0:ping", reply);
        Assert.Equal(target, from);
        var podIP = (await K.OkAsync($"get pod dns-0 -n {ns} -o jsonpath={{.status.podIP}}")).Trim();
        var metrics = await K.OkAsync("get --raw /metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("berth_proxy_endpoint_connections_total", StringComparison.Ordinal)
            && l.Contains($"namespace=\"{ns}\"", StringComparison.Ordinal) && l.Contains($"endpoint=\"{podIP}:5353\"", StringComparison.Ordinal));

        await K.OkAsync($"delete pod dns-0 -n {ns} --wait=true --timeout=30s");
        using var connected = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        connected.Connect(target);
        await AsyncTestHelpers.WaitUntilAsync(async () => await IsRefusedAsync(connected), because: "the UDP port closed with its last endpoint");
    }

    /// <summary>Sends until the pod answers (its server may still be starting), at most 20 times, 500 ms apart.</summary>
    private static async Task<(string Reply, EndPoint From)> ExchangeUntilAnsweredAsync(Socket client, IPEndPoint target, string payload)
    {
        var buffer = new byte[512];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await client.SendToAsync(Encoding.ASCII.GetBytes(payload), SocketFlags.None, target);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                var received = await client.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                return (Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), received.RemoteEndPoint);
            }
            catch (OperationCanceledException)
            {
                // No answer yet: the pod's server is not bound, or the proxy has not opened the port.
            }
        }
        throw new TimeoutException($"no UDP answer from {target} after 20 datagrams");
    }

    private static async Task<bool> IsRefusedAsync(Socket connected)
    {
        await connected.SendAsync(Encoding.ASCII.GetBytes("gone?"), SocketFlags.None);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            await connected.ReceiveAsync(new byte[64], SocketFlags.None, wait.Token);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

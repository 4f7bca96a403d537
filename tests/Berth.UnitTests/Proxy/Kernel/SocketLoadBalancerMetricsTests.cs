using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Proxy;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy.Kernel;

/// <summary>
/// Issue 4's dial-failure and per-endpoint metric rules in <c>--proxy-mode ebpf</c>, against the real kernel: a Ready
/// endpoint with no listener gets no connect while another listens (and its dial failures rise), open connections are
/// counted up and back down, and bytes are counted in the same per-endpoint series the user-space path uses.
/// </summary>
[Collection(KernelDataPathCollection.Name)]
public sealed class SocketLoadBalancerMetricsTests
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);

    private static ProxierHarness EbpfProxy() => new(new ProxyOptions { NodePortAddress = null, Mode = ProxyMode.Ebpf });

    [BpfFact]
    public async Task ReadyEndpointWithoutListener_GetsNoConnect_DialFailuresCounted()
    {
        await using var a = new TestBackend("a");
        var closed = TestBackend.ClosedAddress();
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address), Ready(closed)));

        for (var i = 0; i < 20; i++)
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(ProxierHarness.At(ip)).DefaultTimeout();
            Assert.Equal(a.Address, client.Client.RemoteEndPoint);
        }

        var text = await proxy.ScrapeAsync();
        Assert.True(Value(text, "dial_failures_total", closed) > 0, "no dial failure counted for the endpoint without a listener in 20 connects");
        Assert.Equal(0, Value(text, "connections_total", closed));
        Assert.Equal(20, Value(text, "connections_total", a.Address));
    }

    [BpfFact]
    public async Task OpenConnection_CountedActive_UntilClosed_ThenBytesCounted()
    {
        await using var a = new TestBackend("a");
        await using var proxy = EbpfProxy();
        var ip = NextKernelClusterIP();
        await proxy.ApplyAsync(Service("web", ip), Slice("web", "web-1", Ready(a.Address)));
        var payload = new byte[10_000];

        using (var client = new TcpClient(AddressFamily.InterNetwork))
        {
            await client.ConnectAsync(ProxierHarness.At(ip)).DefaultTimeout();
            var stream = client.GetStream();
            await stream.WriteAsync(payload).AsTask().DefaultTimeout();
            await ReadAsync(stream, 2 + payload.Length);                 // "a\n" and the echo
            Assert.Equal(1, Value(await proxy.ScrapeAsync(), "active_connections", a.Address));
            client.Client.Shutdown(SocketShutdown.Send);
            await ReadAsync(stream, 0);                                   // the backend closes after the half-close
        }

        var text = await WaitAsync(proxy, t => Value(t, "active_connections", a.Address) == 0);
        Assert.InRange(Value(text, "bytes_in_total", a.Address), payload.Length, payload.Length + 2);          // + SYN/FIN sequence numbers
        Assert.InRange(Value(text, "bytes_out_total", a.Address), 2 + payload.Length, 2 + payload.Length + 2);
        Assert.Equal(1, Value(text, "connections_total", a.Address));
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, then (for 0) expects the end of the stream.</summary>
    private static async Task ReadAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count + 1];
        var total = 0;
        while (total < count)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total, count - total)).AsTask().DefaultTimeout();
            Assert.NotEqual(0, read);
            total += read;
        }
        if (count == 0)
        {
            Assert.Equal(0, await stream.ReadAsync(buffer).AsTask().DefaultTimeout());
        }
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (bounded by <see cref="CloseWait"/>): the close callback runs when the client's socket reaches TCP_CLOSE.</summary>
    private static async Task<string> WaitAsync(ProxierHarness proxy, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + CloseWait;
        while (true)
        {
            var text = await proxy.ScrapeAsync();
            if (done(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }
            await Task.Delay(50);
        }
    }

    private static double Value(string text, string series, IPEndPoint endpoint)
    {
        var pattern = $"^berth_proxy_endpoint_{series}\\{{namespace=\"default\",service=\"web\",port=\"http\",endpoint=\"{Regex.Escape(endpoint.ToString())}\"\\}} (\\S+)$";
        var match = Regex.Match(text, pattern, RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new Xunit.Sdk.XunitException($"no {series} for {endpoint} in:\n{text}");
    }
}

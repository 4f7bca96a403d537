using System.Net;
using System.Net.Sockets;

namespace Berth.E2ETests.Proxy;

/// <summary>
/// One berth server for the proxy and DNS tests, with cluster DNS on a free port of 127.96.0.10 (port 53 may be
/// taken by another server) and Services in a random /24 of 127.98.0.0/16, away from other test servers' (BerthProcess gives them /27s of 127.96.0.0/16). The tests of <see cref="ProxyCollection"/> run one class at a time, so their Services'
/// listeners never compete for an address.
/// </summary>
public sealed class ProxyServerFixture : IAsyncLifetime
{
    public static readonly IPAddress DnsAddress = IPAddress.Parse("127.96.0.10");

    public BerthProcess Server { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public int DnsPort { get; private set; }

    public async Task InitializeAsync()
    {
        DnsPort = FreeUdpAndTcpPort(DnsAddress);
        var serviceRange = $"127.98.{Random.Shared.Next(0, 256)}.0/24";
        Server = await BerthProcess.StartAsync(null, 0, "--dns-port", DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--service-cluster-ip-range", serviceRange).ConfigureAwait(false);
        Kubectl = new Kubectl(Server);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await Kubectl.RunAsync("get ns default").ConfigureAwait(false)).ExitCode == 0,
            because: "namespace default exists").ConfigureAwait(false);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync().ConfigureAwait(false);

    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await Kubectl.OkAsync("apply -f -", $"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{ns}\"}}}}").ConfigureAwait(false);
        return ns;
    }

    /// <summary>The ClusterIP:80 of a Service, once allocated.</summary>
    public async Task<IPEndPoint> ClusterAddressAsync(string ns, string service)
    {
        var ip = "";
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            ip = (await Kubectl.OkAsync($"get svc {service} -n {ns} -o jsonpath={{.spec.clusterIP}}").ConfigureAwait(false)).Trim();
            return IPAddress.TryParse(ip, out _);
        }, because: "the service has a ClusterIP").ConfigureAwait(false);
        return new IPEndPoint(IPAddress.Parse(ip), 80);
    }

    /// <summary>Waits until new connections to <paramref name="target"/> have reached every pod in <paramref name="pods"/>.</summary>
    public static async Task WaitForBackendsAsync(IPEndPoint target, params string[] pods)
    {
        var seen = new HashSet<string>();
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                seen.Add(await ServiceHttp.GetOnceAsync(target, TimeSpan.FromSeconds(2)).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // Not routed yet.
            }
            return pods.All(seen.Contains);
        }, timeout: TimeSpan.FromSeconds(25), because: $"{target} routes to {string.Join(", ", pods)}").ConfigureAwait(false);
    }

    /// <summary>A port free for both TCP and UDP on <paramref name="address"/> (as bound a moment ago).</summary>
    internal static int FreeUdpAndTcpPort(IPAddress address)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken for TCP; try another.
            }
        }
    }
}

/// <summary>The proxy and DNS test classes run one after another (see <see cref="ProxyServerFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class ProxyCollection
{
    public const string Name = "service proxy";
}

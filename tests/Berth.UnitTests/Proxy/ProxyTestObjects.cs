using System.Net;
using k8s.Models;

namespace Berth.UnitTests.Proxy;

/// <summary>Builders of Services and EndpointSlices, and unique loopback ClusterIPs for tests that bind sockets.</summary>
internal static class ProxyTestObjects
{
    private static int _next = Random.Shared.Next(0, 50_000);

    /// <summary>A fresh address in 127.101.0.0/16 (tests in this process never share one).</summary>
    public static IPAddress NextClusterIP() => Next(101);

    /// <summary>
    /// A fresh address in 127.107.0.0/16 for tests of the kernel data path: its program sees every connect on the
    /// machine, so its ClusterIPs must be in no other test's or bench's range (user-space tests use 127.101, benches 127.103–104).
    /// </summary>
    public static IPAddress NextKernelClusterIP() => Next(107);

    /// <summary>A fresh pod-like address in 127.102.0.0/16; backends listen on it at <see cref="BackendPort"/>.</summary>
    public static IPAddress NextBackendIP() => Next(102);

    /// <summary>The port every test backend listens on (each on its own address), like a Deployment's pods.</summary>
    public const int BackendPort = 8080;

    private static IPAddress Next(int second)
    {
        var n = Interlocked.Increment(ref _next) % 65_000 + 1;
        return IPAddress.Parse($"127.{second}.{n / 256}.{n % 256}");
    }

    public static V1Service Service(string name, IPAddress? clusterIP, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = "1" },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIP?.ToString() ?? "None",
            Ports = ports.Length == 0 ? [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }] : ports,
        },
    };

    public static V1EndpointSlice Slice(string service, string name, params (IPEndPoint Address, bool Ready, bool Serving, bool Terminating)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = BackendPort, Protocol = "TCP" }],
        Endpoints = endpoints.Select(e => new V1Endpoint
        {
            Addresses = [e.Address.Address.ToString()],
            Conditions = new V1EndpointConditions { Ready = e.Ready, Serving = e.Serving, Terminating = e.Terminating },
        }).ToList(),
    };

    public static (IPEndPoint, bool, bool, bool) Ready(IPEndPoint address) => (address, true, true, false);

    public static (IPEndPoint, bool, bool, bool) Terminating(IPEndPoint address, bool serving = true) => (address, false, serving, true);
}

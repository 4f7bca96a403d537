using System.Net;
using k8s.Models;

namespace Berth.Bench.Proxy;

/// <summary>Services and EndpointSlices fed straight to the proxy core.</summary>
internal static class Objects
{
    public static V1Service Service(string ns, string name, IPAddress clusterIP) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIP.ToString(), Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }] },
    };

    /// <summary>A slice whose endpoints are ready except those in <paramref name="terminating"/> (serving, terminating).</summary>
    public static V1EndpointSlice Slice(string ns, string service, string name, IReadOnlyList<IPEndPoint> endpoints, IReadOnlySet<int> terminating) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = endpoints[0].Port, Protocol = "TCP" }],
        Endpoints = endpoints.Select((e, i) => new V1Endpoint
        {
            Addresses = [e.Address.ToString()],
            Conditions = new V1EndpointConditions { Ready = !terminating.Contains(i), Serving = true, Terminating = terminating.Contains(i) },
        }).ToList(),
    };
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Berth.Dns.Zone;

/// <summary>
/// PTR records of the cluster, as the CoreDNS kubernetes plugin serves the <c>in-addr.arpa</c> zone of kubeadm's
/// default Corefile: a Service's cluster IP points to <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c>; an address that is
/// no cluster IP points to the endpoint name <c>&lt;hostname or a-b-c-d&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c> of every
/// Service with a ready endpoint at that address. Other reverse names are not the cluster's (they are forwarded).
/// </summary>
/// <remarks>Mirrors coredns/coredns plugin/kubernetes/reverse.go (serviceRecordForIP).</remarks>
internal sealed class ReverseNames
{
    private readonly Dictionary<string, string> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _endpoints = new(StringComparer.Ordinal);

    /// <summary>The reverse name of an IPv4 address: <c>4.3.2.1.in-addr.arpa</c> for 1.2.3.4.</summary>
    public static string Of(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetwork
            ? string.Join('.', ip.GetAddressBytes().Reverse()) + ".in-addr.arpa"
            : throw new ArgumentException("IPv4 only", nameof(ip));

    public void AddService(IPAddress clusterIP, string fqdn) => _services[Of(clusterIP)] = fqdn;

    public void AddEndpoint(IPAddress address, string endpointName)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return;
        }
        var reverse = Of(address);
        _endpoints.TryAdd(reverse, []);
        if (!_endpoints[reverse].Contains(endpointName))
        {
            _endpoints[reverse].Add(endpointName);
        }
    }

    public FrozenDictionary<string, ImmutableArray<string>> Build()
    {
        var all = _endpoints.ToDictionary(p => p.Key, p => p.Value.Order(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);
        foreach (var (reverse, fqdn) in _services)
        {
            all[reverse] = [fqdn];
        }
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Berth.Dns.Zone;

/// <summary>
/// Builds a <see cref="ZoneSnapshot"/> from Services and EndpointSlices, with the record rules of the CoreDNS
/// kubernetes plugin: <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c> is the ClusterIP, or for a headless Service the
/// addresses of its ready endpoints (each also named <c>&lt;hostname or a-b-c-d&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c>);
/// ExternalName is a CNAME; every named port gets <c>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;…</c> SRV records and the service
/// name itself one per port (per endpoint and port when headless); the ready endpoints of every Service are named
/// <c>&lt;hostname or a-b-c-d&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c>; cluster IPs and ready endpoint addresses get PTR records
/// (<see cref="ReverseNames"/>). Pure.
/// </summary>
/// <remarks>Mirrors coredns/coredns plugin/kubernetes (kubernetes.go Records/findServices, object/endpoint.go).</remarks>
public static class ZoneBuilder
{
    public static ZoneSnapshot Build(string domain, IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices)
    {
        var names = new Dictionary<string, NameRecords>(StringComparer.Ordinal);
        var reverse = new ReverseNames();
        var slicesByService = slices
            .Where(s => s.AddressType == "IPv4" && s.Metadata?.Labels?.ContainsKey("kubernetes.io/service-name") == true)
            .ToLookup(s => (s.Metadata.NamespaceProperty, s.Metadata.Labels["kubernetes.io/service-name"]));
        foreach (var service in services)
        {
            if (service.Metadata?.Name is not { } name || service.Spec is null)
            {
                continue;
            }
            var ns = service.Metadata.NamespaceProperty ?? "default";
            var fqdn = $"{name}.{ns}.svc.{domain}".ToLowerInvariant();
            var spec = service.Spec;
            if (spec.Type == "ExternalName" && !string.IsNullOrEmpty(spec.ExternalName))
            {
                names[fqdn] = NameRecords.Empty with { CanonicalName = spec.ExternalName.TrimEnd('.') };
            }
            else if (spec.ClusterIP == "None")
            {
                AddHeadless(names, fqdn, slicesByService[(ns, name)]);
            }
            else if (IPAddress.TryParse(spec.ClusterIP, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork)
            {
                AddClusterIP(names, fqdn, ip, spec.Ports ?? []);
                reverse.AddService(ip, fqdn);
            }
            if (spec.Type != "ExternalName")
            {
                foreach (var (_, address, host) in ReadyEndpoints(slicesByService[(ns, name)], fqdn))
                {
                    names.TryAdd(host, NameRecords.Empty with { Addresses = [address] });
                    reverse.AddEndpoint(address, host);
                }
            }
        }
        return new ZoneSnapshot(names.ToFrozenDictionary(StringComparer.Ordinal), InteriorNames(domain, names.Keys), reverse.Build());
    }

    /// <summary>The service name: its cluster IP, and an SRV record per port (named or not) targeting itself.</summary>
    private static void AddClusterIP(Dictionary<string, NameRecords> names, string fqdn, IPAddress ip, IList<V1ServicePort> ports)
    {
        var weight = Weight(ports.Count);
        names[fqdn] = NameRecords.Empty with { Addresses = [ip], Services = [.. ports.Select(p => new SrvTarget(0, weight, (ushort)p.Port, fqdn))] };
        foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
        {
            names[SrvName(port.Name, port.Protocol, fqdn)] = NameRecords.Empty with { Services = [new SrvTarget(0, 100, (ushort)port.Port, fqdn)] };
        }
    }

    private static void AddHeadless(Dictionary<string, NameRecords> names, string fqdn, IEnumerable<V1EndpointSlice> slices)
    {
        var addresses = new List<IPAddress>();
        var srv = new Dictionary<string, List<(ushort Port, string Target)>>(StringComparer.Ordinal) { [fqdn] = [] };
        foreach (var (slice, ip, host) in ReadyEndpoints(slices, fqdn))
        {
            names[host] = NameRecords.Empty with { Addresses = [ip] };
            if (!addresses.Contains(ip))
            {
                addresses.Add(ip);
            }
            foreach (var port in (slice.Ports ?? []).Where(p => p.Port is not null))
            {
                srv[fqdn].Add(((ushort)port.Port!.Value, host));
                if (!string.IsNullOrEmpty(port.Name))
                {
                    var srvName = SrvName(port.Name, port.Protocol, fqdn);
                    srv.TryAdd(srvName, []);
                    srv[srvName].Add(((ushort)port.Port!.Value, host));
                }
            }
        }
        foreach (var (name, targets) in srv)
        {
            var weight = Weight(targets.Count);
            names[name] = NameRecords.Empty with { Services = [.. targets.Select(t => new SrvTarget(0, weight, t.Port, t.Target))] };
        }
        names[fqdn] = names[fqdn] with { Addresses = [.. addresses] };
    }

    /// <summary>Each ready endpoint of a Service's slices with its name <c>&lt;hostname or a-b-c-d&gt;.&lt;service fqdn&gt;</c>.</summary>
    private static IEnumerable<(V1EndpointSlice Slice, IPAddress Ip, string Host)> ReadyEndpoints(IEnumerable<V1EndpointSlice> slices, string fqdn)
    {
        foreach (var slice in slices)
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false || endpoint.Addresses is not { Count: > 0 } || !IPAddress.TryParse(endpoint.Addresses[0], out var ip))
                {
                    continue;
                }
                var label = string.IsNullOrEmpty(endpoint.Hostname) ? ip.ToString().Replace('.', '-') : endpoint.Hostname;
                yield return (slice, ip, $"{label}.{fqdn}".ToLowerInvariant());
            }
        }
    }

    /// <summary>CoreDNS's SRV weight for one of <paramref name="count"/> records of one priority: 100 / count, at least 1.</summary>
    private static ushort Weight(int count) => (ushort)Math.Max(1, 100 / Math.Max(1, count));

    private static string SrvName(string portName, string? protocol, string fqdn) =>
        $"_{portName}._{(string.IsNullOrEmpty(protocol) ? "tcp" : protocol)}.{fqdn}".ToLowerInvariant();

    /// <summary>Every proper ancestor of a record name inside the zone, plus the zone apex and its svc/pod subtrees.</summary>
    private static FrozenSet<string> InteriorNames(string domain, IEnumerable<string> names)
    {
        var interior = new HashSet<string>(StringComparer.Ordinal) { domain, $"svc.{domain}", $"pod.{domain}" };
        foreach (var name in names)
        {
            for (var dot = name.IndexOf('.'); dot > 0 && name.Length - dot - 1 > domain.Length; dot = name.IndexOf('.', dot + 1))
            {
                interior.Add(name[(dot + 1)..]);
            }
        }
        return interior.ToFrozenSet(StringComparer.Ordinal);
    }
}

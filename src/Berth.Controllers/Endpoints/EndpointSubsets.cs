using System.Text.Json.Nodes;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Endpoints;

/// <summary>
/// The <c>subsets</c> of a Service's v1 Endpoints: every pod that belongs (terminating pods only with
/// publishNotReadyAddresses, kubernetes-termination.md §3.2) is an address, in <c>addresses</c> when Ready (or
/// publishNotReadyAddresses) and in <c>notReadyAddresses</c> otherwise; addresses sharing the same resolved ports
/// form one subset. Output is sorted, so equal inputs give equal JSON. Pure.
/// Mirrors kubernetes/kubernetes pkg/controller/endpoint/endpoints_controller.go (syncService, addEndpointSubset,
/// podToEndpointAddressForService) and pkg/api/v1/endpoints/util.go (RepackSubsets, SortSubsets).
/// </summary>
internal static class EndpointSubsets
{
    public static JsonArray For(JsonObject svc, IEnumerable<JsonObject> pods)
    {
        var publishNotReady = svc.GetBool("spec", "publishNotReadyAddresses") == true;
        var servicePorts = svc.GetArray("spec", "ports")?.OfType<JsonObject>().ToList() ?? [];
        var headless = svc.GetString("spec", "clusterIP") == "None";
        var groups = new SortedDictionary<string, (JsonArray Ports, List<JsonObject> Ready, List<JsonObject> NotReady)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!EndpointPods.ShouldPodBeInEndpoints(pod, includeTerminating: publishNotReady))
            {
                continue;
            }
            var ports = DesiredEndpoints.GetEndpointPorts(svc, pod);
            if (servicePorts.Count > 0 ? ports.Count == 0 : !headless)
            {
                continue;
            }
            var key = DesiredEndpoints.PortsKey(ports);
            if (!groups.TryGetValue(key, out var group))
            {
                group = (SortPorts(ports), [], []);
                groups[key] = group;
            }
            (publishNotReady || EndpointPods.IsPodReady(pod) ? group.Ready : group.NotReady).Add(PodToEndpointAddress(svc, pod));
        }
        return new JsonArray([.. groups.Values.Select(g => Subset(g.Ports, g.Ready, g.NotReady))]);
    }

    private static JsonObject Subset(JsonArray ports, List<JsonObject> ready, List<JsonObject> notReady)
    {
        var subset = new JsonObject();
        if (ready.Count > 0)
        {
            subset["addresses"] = new JsonArray([.. SortAddresses(ready)]);
        }
        if (notReady.Count > 0)
        {
            subset["notReadyAddresses"] = new JsonArray([.. SortAddresses(notReady)]);
        }
        if (ports.Count > 0)
        {
            subset["ports"] = ports;
        }
        return subset;
    }

    private static JsonObject PodToEndpointAddress(JsonObject svc, JsonObject pod)
    {
        var address = new JsonObject { ["ip"] = EndpointPods.PodIP(pod) };
        if (pod.GetString("spec", "hostname") is { Length: > 0 } hostname && pod.GetString("spec", "subdomain") == svc.GetName())
        {
            address["hostname"] = hostname;
        }
        if (pod.GetString("spec", "nodeName") is { Length: > 0 } node)
        {
            address["nodeName"] = node;
        }
        address["targetRef"] = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = pod.GetNamespace(),
            ["name"] = pod.GetName(),
            ["uid"] = pod.GetUid(),
        };
        return address;
    }

    private static IEnumerable<JsonObject> SortAddresses(List<JsonObject> addresses) =>
        addresses.OrderBy(a => System.Net.IPAddress.TryParse(a.GetString("ip"), out var ip) ? ip.GetAddressBytes().Aggregate(0L, (n, b) => (n << 8) | b) : 0)
            .ThenBy(a => a.GetString("targetRef", "uid"), StringComparer.Ordinal);

    private static JsonArray SortPorts(JsonArray ports) =>
        new([.. ports.OfType<JsonObject>().OrderBy(p => p.GetString("name"), StringComparer.Ordinal).ThenBy(p => p.GetLong("port"))
            .Select(WithoutEmptyName)]);

    /// <summary>v1 EndpointPort omits an empty name (omitempty), unlike discovery/v1.</summary>
    private static JsonObject WithoutEmptyName(JsonObject port)
    {
        var copy = port.DeepClone().AsObject();
        if (copy.GetString("name") is "")
        {
            copy.Remove("name");
        }
        return copy;
    }
}

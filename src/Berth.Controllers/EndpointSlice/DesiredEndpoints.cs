using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// The endpoints a Service should have, grouped by port set: pods whose named target ports resolve differently (or
/// not at all) land in different groups, hence in different slices. Built fresh per sync; not thread-safe.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/endpointslice/reconciler.go (the desiredMetaPorts/desiredEndpoints
/// step of reconcileByAddressType) and utils.go (podToEndpoint, getEndpointPorts).
/// </summary>
internal sealed class DesiredEndpoints
{
    /// <summary>Port-set key → (ports, endpoints by endpoint key, in pod order).</summary>
    public Dictionary<string, (JsonArray Ports, Dictionary<string, JsonObject> Endpoints)> Groups { get; } = new(StringComparer.Ordinal);

    public int Count => Groups.Values.Sum(g => g.Endpoints.Count);

    /// <summary>Computes the groups for <paramref name="svc"/> from the candidate <paramref name="pods"/> (selector already applied).</summary>
    public static DesiredEndpoints For(JsonObject svc, IEnumerable<JsonObject> pods)
    {
        var desired = new DesiredEndpoints();
        var publishNotReady = svc.GetBool("spec", "publishNotReadyAddresses") == true;
        foreach (var pod in pods.OrderBy(p => p.GetName(), StringComparer.Ordinal))
        {
            if (!EndpointPods.ShouldPodBeInEndpoints(pod, includeTerminating: true))
            {
                continue;
            }
            var ports = GetEndpointPorts(svc, pod);
            var key = PortsKey(ports);
            if (!desired.Groups.TryGetValue(key, out var group))
            {
                group = (ports, new Dictionary<string, JsonObject>(StringComparer.Ordinal));
                desired.Groups[key] = group;
            }
            var endpoint = PodToEndpoint(pod, svc, publishNotReady);
            group.Endpoints[EndpointKey(endpoint)] = endpoint;
        }
        return desired;
    }

    /// <summary>
    /// One endpoint for <paramref name="pod"/>: serving = Ready, terminating = deletionTimestamp set,
    /// ready = serving and not terminating, or always true with publishNotReadyAddresses (kubernetes-termination.md §3.1).
    /// </summary>
    public static JsonObject PodToEndpoint(JsonObject pod, JsonObject svc, bool publishNotReadyAddresses)
    {
        var serving = EndpointPods.IsPodReady(pod);
        var terminating = EndpointPods.IsTerminating(pod);
        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(EndpointPods.PodIP(pod)),
            ["conditions"] = new JsonObject
            {
                ["ready"] = publishNotReadyAddresses || (serving && !terminating),
                ["serving"] = serving,
                ["terminating"] = terminating,
            },
        };
        if (pod.GetString("spec", "hostname") is { Length: > 0 } hostname && pod.GetString("spec", "subdomain") == svc.GetName())
        {
            endpoint["hostname"] = hostname;
        }
        if (pod.GetString("spec", "nodeName") is { Length: > 0 } node)
        {
            endpoint["nodeName"] = node;
        }
        endpoint["targetRef"] = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = pod.GetNamespace(),
            ["name"] = pod.GetName(),
            ["uid"] = pod.GetUid(),
        };
        return endpoint;
    }

    /// <summary>The Service's ports as resolved on <paramref name="pod"/>; ports whose target does not resolve are left out.</summary>
    public static JsonArray GetEndpointPorts(JsonObject svc, JsonObject pod)
    {
        var ports = new JsonArray();
        foreach (var servicePort in svc.GetArray("spec", "ports")?.OfType<JsonObject>() ?? [])
        {
            if (EndpointPods.FindPort(pod, servicePort) is not { } number)
            {
                continue;
            }
            var port = new JsonObject
            {
                ["name"] = servicePort.GetString("name") ?? "",
                ["port"] = number,
                ["protocol"] = servicePort.GetString("protocol") ?? "TCP",
            };
            if (servicePort.GetString("appProtocol") is { } appProtocol)
            {
                port["appProtocol"] = appProtocol;
            }
            ports.Add(port);
        }
        return ports;
    }

    /// <summary>Identity of a port set, independent of order.</summary>
    public static string PortsKey(JsonArray? ports) =>
        string.Join(';', (ports ?? []).OfType<JsonObject>()
            .Select(p => $"{p.GetString("name")}/{p.GetLong("port")}/{p.GetString("protocol") ?? "TCP"}/{p.GetString("appProtocol")}")
            .Order(StringComparer.Ordinal));

    /// <summary>Identity of an endpoint across syncs: its address and the pod it points at.</summary>
    public static string EndpointKey(JsonObject endpoint) =>
        $"{(endpoint["addresses"] as JsonArray)?.FirstOrDefault()?.GetValue<string>()}|{endpoint.GetString("targetRef", "namespace")}/{endpoint.GetString("targetRef", "name")}";
}

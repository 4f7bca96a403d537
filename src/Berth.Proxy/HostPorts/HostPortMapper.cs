using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.HostPorts;

/// <summary>
/// Container <c>hostPort</c>s of this node's pods: each is served on the node's address (or the port's
/// <c>hostIP</c>) and forwarded to the pod's IP and <c>containerPort</c>, TCP or UDP, the way the CNI portmap plugin
/// maps them for a kubelet. A pod's ports are handed to the <see cref="Proxier"/> as a Service of their own, named
/// <c>pod/NAME</c> in the pod's namespace (a name no real Service can have), with the pod as its one ready endpoint,
/// so they get the proxy's listeners, metrics and UDP flows. A mapping lives while the pod is on this node with an
/// IP and not in a terminal phase, whatever its readiness (portmap does not look at readiness either).
/// </summary>
/// <remarks>
/// Called from the pod informer's handler (<see cref="OnPod"/>): thread-safe; a pod whose mapping did not change
/// costs a scan of its container ports and nothing else.
/// </remarks>
public sealed class HostPortMapper(Proxier proxier, string nodeName, IPAddress nodeAddress)
{
    private readonly object _gate = new();
    private static readonly List<MappedPort> NoPorts = [];
    private readonly Dictionary<ServiceKey, string> _mapped = [];

    /// <summary>The pods' host-port Services the proxy serves now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _mapped.Count;
            }
        }
    }

    /// <summary>Applies a pod's add, update or (with <paramref name="deleted"/>) delete.</summary>
    public void OnPod(JsonObject pod, bool deleted)
    {
        var ns = pod.GetNamespace() ?? "default";
        var name = pod.GetName() ?? "";
        var wanted = deleted ? NoPorts : PortsOf(pod);
        if (wanted.Count == 0 && !HasMapping(ns, name))
        {
            return; // The common case (no host ports, never mapped): no allocation, no proxy work.
        }
        var byAddress = wanted.GroupBy(p => p.HostIP).ToDictionary(g => g.Key, g => g.ToList());
        lock (_gate)
        {
            foreach (var key in _mapped.Keys.Where(k => k.Namespace == ns && IsOf(k.Name, name) && !byAddress.ContainsKey(AddressOf(k.Name))).ToList())
            {
                _mapped.Remove(key);
                proxier.OnEndpointSliceUpdate(Slice(key, null, []), removed: true);
                proxier.OnServiceUpdate(Service(key, nodeAddress, []), null);
            }
            foreach (var (hostIP, ports) in byAddress)
            {
                var key = new ServiceKey(ns, ServiceName(name, hostIP));
                var signature = $"{pod["status"]?["podIP"]}|{string.Join(',', ports)}";
                if (_mapped.GetValueOrDefault(key) == signature)
                {
                    continue;
                }
                _mapped[key] = signature;
                var address = hostIP == "" ? nodeAddress : IPAddress.Parse(hostIP);
                proxier.OnServiceUpdate(null, Service(key, address, ports));
                proxier.OnEndpointSliceUpdate(Slice(key, IPAddress.Parse(pod["status"]!["podIP"]!.GetValue<string>()), ports), removed: false);
            }
        }
    }

    private bool HasMapping(string ns, string pod)
    {
        lock (_gate)
        {
            foreach (var key in _mapped.Keys)
            {
                if (key.Namespace == ns && IsOf(key.Name, pod))
                {
                    return true;
                }
            }
            return false;
        }
    }

    private sealed record MappedPort(string HostIP, string Protocol, int HostPort, int ContainerPort)
    {
        public string PortName => $"{HostPort}-{Protocol.ToLowerInvariant()}";
    }

    /// <summary>The host ports to serve for <paramref name="pod"/>: none unless it runs on this node with an IPv4 address.</summary>
    private List<MappedPort> PortsOf(JsonObject pod)
    {
        if (pod.GetString("spec", "nodeName") != nodeName)
        {
            return NoPorts;
        }
        if (pod.GetString("status", "phase") is "Succeeded" or "Failed"
            || !IPAddress.TryParse(pod.GetString("status", "podIP"), out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return NoPorts;
        }
        List<MappedPort>? ports = null;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (port.GetLong("hostPort") is > 0 and var hostPort && port.GetLong("containerPort") is > 0 and var containerPort)
                {
                    var hostIP = port.GetString("hostIP") is { Length: > 0 } h && h != "0.0.0.0" && IPAddress.TryParse(h, out _) ? h : "";
                    (ports ??= []).Add(new MappedPort(hostIP, port.GetString("protocol") ?? "TCP", (int)hostPort, (int)containerPort));
                }
            }
        }
        return ports ?? NoPorts;
    }

    private static string ServiceName(string pod, string hostIP) => hostIP == "" ? $"pod/{pod}" : $"pod/{pod}@{hostIP}";

    private static bool IsOf(string serviceName, string pod) =>
        serviceName == $"pod/{pod}" || serviceName.StartsWith($"pod/{pod}@", StringComparison.Ordinal);

    private static string AddressOf(string serviceName) => serviceName.IndexOf('@') is var at and >= 0 ? serviceName[(at + 1)..] : "";

    private static V1Service Service(ServiceKey key, IPAddress address, List<MappedPort> ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = key.Name, NamespaceProperty = key.Namespace },
        Spec = new V1ServiceSpec
        {
            ClusterIP = address.ToString(),
            Ports = [.. ports.Select(p => new V1ServicePort { Name = p.PortName, Port = p.HostPort, Protocol = p.Protocol })],
        },
    };

    private static V1EndpointSlice Slice(ServiceKey key, IPAddress? podIP, List<MappedPort> ports) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = key.Name,
            NamespaceProperty = key.Namespace,
            Labels = new Dictionary<string, string> { [Tracking.EndpointSliceCache.ServiceNameLabel] = key.Name },
        },
        AddressType = "IPv4",
        Ports = [.. ports.Select(p => new Discoveryv1EndpointPort { Name = p.PortName, Port = p.ContainerPort, Protocol = p.Protocol })],
        Endpoints = podIP is null ? [] : [new V1Endpoint { Addresses = [podIP.ToString()], Conditions = new V1EndpointConditions { Ready = true, Serving = true } }],
    };
}

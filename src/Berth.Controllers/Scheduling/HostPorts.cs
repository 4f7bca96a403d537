using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>One host port a pod asks for: <c>hostIP</c> (0.0.0.0 when unset: every address), protocol and port.</summary>
internal readonly record struct HostPort(string HostIP, string Protocol, int Port)
{
    public const string AnyAddress = "0.0.0.0";

    /// <summary>Two host ports conflict when protocol and port match and either binds every address or both bind the same one.</summary>
    public bool ConflictsWith(HostPort other) =>
        Port == other.Port && Protocol == other.Protocol
        && (HostIP == AnyAddress || other.HostIP == AnyAddress || HostIP == other.HostIP);
}

/// <summary>
/// The host ports of a pod's containers (<c>ports[].hostPort</c>; init containers are not counted, as upstream's
/// NodePorts plugin does not). Pure; the JSON overload caches per informer object, like <see cref="PodRequests"/>.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/plugins/nodeports/node_ports.go (getContainerPorts) and framework/types.go (HostPortInfo).</remarks>
internal static class HostPorts
{
    private static readonly ConditionalWeakTable<JsonObject, HostPort[]> JsonCache = new();

    public static IReadOnlyList<HostPort> Of(V1Pod pod) =>
        [.. (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? [])
            .Where(p => p.HostPort is > 0)
            .Select(p => new HostPort(string.IsNullOrEmpty(p.HostIP) ? HostPort.AnyAddress : p.HostIP, p.Protocol ?? "TCP", p.HostPort!.Value))];

    /// <summary>The host ports of an informer-cached (read-only) pod object, read once per object.</summary>
    public static IReadOnlyList<HostPort> Of(JsonObject pod) => JsonCache.GetValue(pod, static p =>
    {
        var ports = new List<HostPort>();
        foreach (var container in (p["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (port["hostPort"] is JsonValue value && value.TryGetValue<long>(out var hostPort) && hostPort > 0)
                {
                    var hostIP = port["hostIP"]?.GetValue<string>();
                    ports.Add(new HostPort(string.IsNullOrEmpty(hostIP) ? HostPort.AnyAddress : hostIP,
                        port["protocol"]?.GetValue<string>() ?? "TCP", (int)hostPort));
                }
            }
        }
        return [.. ports];
    });
}

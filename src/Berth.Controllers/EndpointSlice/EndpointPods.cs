using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// The pod facts both endpoint controllers use: whether a pod belongs in endpoints, whether it is Ready, its address,
/// and the container port a Service port resolves to on it. Pure functions over read-only pod JSON.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/endpointslice/util/controller_utils.go (ShouldPodBeInEndpoints)
/// and pkg/api/v1/pod/util.go (FindPort, IsPodReady).
/// </summary>
internal static class EndpointPods
{
    /// <summary>
    /// False for pods without an IP and for terminal pods (Succeeded/Failed); terminating pods count only when
    /// <paramref name="includeTerminating"/>.
    /// </summary>
    public static bool ShouldPodBeInEndpoints(JsonObject pod, bool includeTerminating)
    {
        if (string.IsNullOrEmpty(PodIP(pod)))
        {
            return false;
        }
        if (!includeTerminating && pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            return false;
        }
        return pod.GetString("status", "phase") is not ("Succeeded" or "Failed");
    }

    /// <summary>The pod's primary IP (<c>status.podIP</c>, else the first of <c>status.podIPs</c>).</summary>
    public static string? PodIP(JsonObject pod) =>
        pod.GetString("status", "podIP") is { Length: > 0 } ip ? ip
            : pod.GetArray("status", "podIPs") is [JsonObject first, ..] ? first.GetString("ip") : null;

    /// <summary>The pod's Ready condition is True.</summary>
    public static bool IsPodReady(JsonObject pod) =>
        pod.GetArray("status", "conditions")?.OfType<JsonObject>()
            .Any(c => c.GetString("type") == "Ready" && c.GetString("status") == "True") == true;

    public static bool IsTerminating(JsonObject pod) => pod.GetString("metadata", "deletionTimestamp") is not null;

    /// <summary>
    /// The container port <paramref name="servicePort"/>'s targetPort names on <paramref name="pod"/>: a number is
    /// used as is; a name is looked up among the containers' ports with the same protocol. Null when it does not resolve.
    /// </summary>
    public static long? FindPort(JsonObject pod, JsonObject servicePort)
    {
        if (servicePort.GetLong("targetPort") is { } number)
        {
            return number;
        }
        if (servicePort.GetString("targetPort") is { Length: > 0 } name)
        {
            var protocol = servicePort.GetString("protocol") ?? "TCP";
            foreach (var container in pod.GetArray("spec", "containers")?.OfType<JsonObject>() ?? [])
            {
                foreach (var port in container.GetArray("ports")?.OfType<JsonObject>() ?? [])
                {
                    if (port.GetString("name") == name && (port.GetString("protocol") ?? "TCP") == protocol)
                    {
                        return port.GetLong("containerPort");
                    }
                }
            }
            return null;
        }
        return servicePort.GetLong("port");
    }

    /// <summary>The label selector of a Service (<c>spec.selector</c>); null when it has none (endpoints are managed by hand).</summary>
    public static IReadOnlyDictionary<string, string>? ServiceSelector(JsonObject svc) =>
        svc.GetObject("spec", "selector") is { Count: > 0 } ? svc.GetStringMap("spec", "selector") : null;

    /// <summary>True when every pair of <paramref name="selector"/> is among <paramref name="labels"/>.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value);

    /// <summary>
    /// A string that changes whenever something endpoints are built from changes (IP, readiness, deletion, phase,
    /// node, hostname, labels, container ports), so pod updates that do not matter are not enqueued.
    /// Mirrors staging/src/k8s.io/endpointslice/util/controller_utils.go (podEndpointsChanged).
    /// </summary>
    public static string EndpointRelevantState(JsonObject pod) => string.Join('\u0001',
        PodIP(pod), IsPodReady(pod), pod.GetString("metadata", "deletionTimestamp"), pod.GetString("status", "phase"),
        pod.GetString("spec", "nodeName"), pod.GetString("spec", "hostname"), pod.GetString("spec", "subdomain"),
        pod.GetObject("metadata", "labels")?.ToJsonString(), pod.GetArray("spec", "containers")?.ToJsonString());
}

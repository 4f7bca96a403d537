using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Gives a pod status's JSON the explicit nulls upstream's wire form has for unset times: Go encodes a zero
/// <c>metav1.Time</c> as <c>null</c> even under omitempty, so every condition carries <c>lastProbeTime: null</c> and a
/// termination with no times (ContainerStatusUnknown) carries <c>startedAt: null</c> and <c>finishedAt: null</c>.
/// Berth's API server stores the JSON it is sent, so the kubelet sends them: inside the lists it patches, which a merge
/// patch replaces whole, the nulls are stored as they are. Modifies the object it is given.
/// </summary>
internal static class ZeroTimes
{
    private static readonly string[] ContainerLists = ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"];

    /// <summary>A status's wire JSON: serialised, with the nulls added. The one serialisation of a status write.</summary>
    public static JsonObject FromModel(V1PodStatus status) => Add(ApiJson.FromModel(status));

    public static JsonObject Add(JsonObject status)
    {
        foreach (var condition in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            condition.TryAdd("lastProbeTime", null);
        }

        foreach (var list in ContainerLists)
        {
            foreach (var container in (status[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                AddToTermination(container["state"]);
                AddToTermination(container["lastState"]);
            }
        }

        return status;
    }

    private static void AddToTermination(JsonNode? state)
    {
        if (state?["terminated"] is JsonObject terminated)
        {
            terminated.TryAdd("startedAt", null);
            terminated.TryAdd("finishedAt", null);
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Builds the merge patch of a status write from the API copy it applies to: each top-level status field whose value
/// differs from the copy's (the unchanged ones are left out, as upstream's two-way patch leaves them out), plus an
/// explicit null for each kubelet-owned field the copy has and the merged status lacks (a merge patch keeps absent
/// fields). Top-level status values are lists and scalars, which a merge patch replaces whole, so leaving out equal
/// ones changes nothing in the result. With a resourceVersion the patch also carries
/// <c>metadata.resourceVersion</c>, which the API treats as a precondition (409 Conflict when the object changed
/// since). Unset times are sent as explicit nulls (<see cref="ZeroTimes"/>), on both sides of the comparison.
/// Mirrors the patch half of kubernetes/kubernetes pkg/util/pod/pod.go (PatchPodStatus).
/// </summary>
/// <remarks>Pure and thread-safe; the arguments are not modified.</remarks>
internal static class PodStatusPatch
{
    private static readonly HashSet<string> KubeletOwnedFields =
    [
        "phase", "conditions", "message", "reason", "hostIP", "hostIPs", "podIP", "podIPs", "startTime",
        "containerStatuses", "initContainerStatuses", "qosClass",
    ];

    /// <summary>The patch against an API copy read as JSON (the pod object of a GET).</summary>
    public static JsonObject Create(JsonObject currentPod, V1PodStatus merged) =>
        Create(currentPod.GetObject("status") is { } status ? ApiJson.Clone(status) : null, merged, resourceVersion: null);

    /// <summary>
    /// The patch against a typed API copy (the pod manager's) at <paramref name="resourceVersion"/>: the write only
    /// succeeds if the pod is still at that version, so the fields left out and the nulls computed from
    /// <paramref name="current"/> are exact.
    /// </summary>
    public static JsonObject Create(V1PodStatus current, V1PodStatus merged, string resourceVersion) =>
        Create(ApiJson.FromModel(current), merged, resourceVersion);

    private static JsonObject Create(JsonObject? current, V1PodStatus merged, string? resourceVersion)
    {
        var status = ZeroTimes.Add(ApiJson.FromModel(merged));
        current = current is null ? null : ZeroTimes.Add(current);
        var present = status.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in status.ToList())
        {
            if (current?[key] is { } old && JsonNode.DeepEquals(old, value))
            {
                status.Remove(key);
            }
        }

        foreach (var key in (current?.Select(p => p.Key) ?? []).Where(k => KubeletOwnedFields.Contains(k) && !present.Contains(k)).ToList())
        {
            status[key] = null;
        }

        var patch = new JsonObject { ["status"] = status };
        if (resourceVersion is not null)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        return patch;
    }
}

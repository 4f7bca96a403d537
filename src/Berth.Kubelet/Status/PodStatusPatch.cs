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

    /// <summary>The patch between two typed statuses (each serialised here; warm-up and tests).</summary>
    public static JsonObject Create(V1PodStatus current, V1PodStatus merged, string? resourceVersion) =>
        Create(ZeroTimes.FromModel(current), ZeroTimes.FromModel(merged), resourceVersion);

    /// <summary>
    /// The patch from <paramref name="current"/>, the API copy's status as JSON (the status of a GET's pod object, or
    /// the pod manager's typed copy serialised), to <paramref name="merged"/>, the merged status serialised. Both
    /// must carry <see cref="ZeroTimes"/>' nulls, as the caller's equality check compared them. With a
    /// <paramref name="resourceVersion"/> the write only succeeds if the pod is still at that version, so the fields
    /// left out and the nulls computed from <paramref name="current"/> are exact. Takes ownership of
    /// <paramref name="merged"/>, whose unchanged fields are removed and which becomes part of the patch.
    /// </summary>
    public static JsonObject Create(JsonObject current, JsonObject merged, string? resourceVersion)
    {
        var status = merged;
        var present = status.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in status.ToList())
        {
            if (current[key] is { } old && JsonNode.DeepEquals(old, value))
            {
                status.Remove(key);
            }
        }

        foreach (var key in current.Select(p => p.Key).Where(k => KubeletOwnedFields.Contains(k) && !present.Contains(k)).ToList())
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

using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Builds the merge patch of a status write: the whole merged status, plus an explicit null for each kubelet-owned
/// field the API copy has and the merged status lacks (a merge patch keeps absent fields). With a resourceVersion the
/// patch also carries <c>metadata.resourceVersion</c>, which the API treats as a precondition (409 Conflict when the
/// object changed since). Mirrors the patch half of kubernetes/kubernetes pkg/util/pod/pod.go (PatchPodStatus).
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
        Create(currentPod.GetObject("status")?.Select(p => p.Key) ?? [], merged, resourceVersion: null);

    /// <summary>
    /// The patch against a typed API copy (the pod manager's) at <paramref name="resourceVersion"/>: the write only
    /// succeeds if the pod is still at that version, so the nulls computed from <paramref name="current"/> are exact.
    /// </summary>
    public static JsonObject Create(V1PodStatus current, V1PodStatus merged, string resourceVersion) =>
        Create(PresentFields(current), merged, resourceVersion);

    private static JsonObject Create(IEnumerable<string> currentFields, V1PodStatus merged, string? resourceVersion)
    {
        var status = ApiJson.FromModel(merged);
        foreach (var key in currentFields.Where(k => !status.ContainsKey(k) && KubeletOwnedFields.Contains(k)).ToList())
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

    // The kubelet-owned fields a typed status has (what its JSON form would carry).
    private static IEnumerable<string> PresentFields(V1PodStatus s)
    {
        (string Name, bool Present)[] fields =
        [
            ("phase", s.Phase is not null), ("conditions", s.Conditions is not null), ("message", s.Message is not null),
            ("reason", s.Reason is not null), ("hostIP", s.HostIP is not null), ("hostIPs", s.HostIPs is not null),
            ("podIP", s.PodIP is not null), ("podIPs", s.PodIPs is not null), ("startTime", s.StartTime is not null),
            ("containerStatuses", s.ContainerStatuses is not null), ("initContainerStatuses", s.InitContainerStatuses is not null),
            ("qosClass", s.QosClass is not null),
        ];
        return fields.Where(f => f.Present).Select(f => f.Name);
    }
}

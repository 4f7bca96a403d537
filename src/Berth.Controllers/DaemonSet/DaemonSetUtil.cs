using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Controllers.NodeLifecycle;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

/// <summary>
/// Helpers of the DaemonSet controller over objects in storage form: the pod template a daemon pod is created from
/// (the default DaemonSet tolerations and the <c>controller-revision-hash</c> label added), the node affinity that
/// pins a daemon pod to its node, the node a pod targets, whether a pod is up to date, and the rolling update's
/// surge and unavailability budgets. Pure functions; inputs are never mutated unless the doc says so.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/daemon/util/daemonset_util.go.</remarks>
public static class DaemonSetUtil
{
    /// <summary>The label carrying the ControllerRevision hash on daemon pods and revisions (upstream DefaultDaemonSetUniqueLabelKey).</summary>
    public const string ControllerRevisionHashLabel = "controller-revision-hash";

    /// <summary>The field a daemon pod's node affinity selects on (upstream metav1.ObjectNameField).</summary>
    public const string ObjectNameField = "metadata.name";

    /// <summary>A deep copy of <paramref name="template"/> with the default daemon tolerations and, when set, the hash label.</summary>
    public static JsonObject CreatePodTemplate(JsonObject? template, string? hash)
    {
        var copy = template?.DeepClone().AsObject() ?? [];
        if (copy["spec"] is not JsonObject spec)
        {
            spec = [];
            copy["spec"] = spec;
        }
        AddOrUpdateDaemonPodTolerations(spec);
        if (!string.IsNullOrEmpty(hash))
        {
            copy.SetPath(hash, "metadata", "labels", ControllerRevisionHashLabel);
        }
        return copy;
    }

    /// <summary>
    /// Adds the tolerations every daemon pod gets (mutates <paramref name="podSpec"/>): NoExecute not-ready and
    /// unreachable (so a daemon is neither evicted from nor kept off a sick node), NoSchedule disk-, memory- and
    /// pid-pressure and unschedulable (so cordoned nodes keep their daemons), and network-unavailable for host-network pods.
    /// </summary>
    public static void AddOrUpdateDaemonPodTolerations(JsonObject podSpec)
    {
        AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.NotReady, "NoExecute"));
        AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.Unreachable, "NoExecute"));
        AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.DiskPressure, "NoSchedule"));
        AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.MemoryPressure, "NoSchedule"));
        AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.PidPressure, "NoSchedule"));
        AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.Unschedulable, "NoSchedule"));
        if (podSpec.GetBool("hostNetwork") == true)
        {
            AddOrUpdateTolerationInPodSpec(podSpec, Exists(NodeTaints.NetworkUnavailable, "NoSchedule"));
        }
    }

    /// <summary>
    /// Appends <paramref name="toleration"/>, or replaces the one with the same key, operator, value and effect when it
    /// differs (e.g. in tolerationSeconds). Mutates <paramref name="podSpec"/>; returns whether it changed.
    /// Mirrors pkg/apis/core/v1/helper AddOrUpdateTolerationInPodSpec.
    /// </summary>
    public static bool AddOrUpdateTolerationInPodSpec(JsonObject podSpec, JsonObject toleration)
    {
        var existing = podSpec.GetArray("tolerations") ?? [];
        var result = new JsonArray();
        var updated = false;
        foreach (var node in existing)
        {
            if (node is JsonObject t && MatchToleration(t, toleration))
            {
                if (JsonNode.DeepEquals(t, toleration))
                {
                    return false;
                }
                result.Add(toleration.DeepClone());
                updated = true;
                continue;
            }
            result.Add(node?.DeepClone());
        }
        if (!updated)
        {
            result.Add(toleration.DeepClone());
        }
        podSpec["tolerations"] = result;
        return true;
    }

    /// <summary>
    /// Pins a daemon pod to <paramref name="nodeName"/>: the required node affinity becomes the single term
    /// <c>matchFields metadata.name In [node]</c>, replacing any terms of the template (the controller already
    /// checked them). Mutates <paramref name="podSpec"/>; preferred affinity and nodeSelector are kept.
    /// </summary>
    public static void ReplaceDaemonSetPodNodeNameNodeAffinity(JsonObject podSpec, string nodeName)
    {
        var terms = new JsonArray(new JsonObject
        {
            ["matchFields"] = new JsonArray(new JsonObject
            {
                ["key"] = ObjectNameField, ["operator"] = "In", ["values"] = new JsonArray(nodeName),
            }),
        });
        podSpec.SetPath(new JsonObject { ["nodeSelectorTerms"] = terms },
            "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution");
    }

    /// <summary>
    /// The node a daemon pod runs on or is meant for: spec.nodeName once bound, else the single name of its
    /// <c>metadata.name</c> matchFields term; null when neither says (not a pod this controller placed).
    /// </summary>
    public static string? GetTargetNodeName(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }
        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is null)
        {
            return null;
        }
        foreach (var term in terms)
        {
            foreach (var field in term.MatchFields ?? [])
            {
                if (field.Key == ObjectNameField && field.OperatorProperty == "In" && field.Values is { Count: 1 })
                {
                    return field.Values[0];
                }
            }
        }
        return null;
    }

    /// <summary>The pod carries the current revision's hash.</summary>
    public static bool IsPodUpdated(V1Pod pod, string? hash) => !string.IsNullOrEmpty(hash) && HashOf(pod) == hash;

    /// <summary>The revision hash label of a pod, or null.</summary>
    public static string? HashOf(V1Pod pod) =>
        pod.Metadata.Labels is { } labels && labels.TryGetValue(ControllerRevisionHashLabel, out var value) ? value : null;

    public static bool IsRollingUpdate(JsonObject ds) => (ds.GetString("spec", "updateStrategy", "type") ?? "RollingUpdate") == "RollingUpdate";

    /// <summary>Whether the rolling update may run an old and a new pod on one node at once (maxSurge above zero).</summary>
    public static bool AllowsSurge(JsonObject ds) => IsRollingUpdate(ds) && SurgeCount(ds, 1) > 0;

    /// <summary>maxSurge scaled to <paramref name="numberToSchedule"/> nodes, percentages rounded up; 0 when not rolling or unset.</summary>
    public static int SurgeCount(JsonObject ds, int numberToSchedule) =>
        IsRollingUpdate(ds) && ds.GetPath("spec", "updateStrategy", "rollingUpdate", "maxSurge") is { } surge
            ? DeploymentUtil.GetScaledValueFromIntOrPercent(surge, numberToSchedule, roundUp: true)
            : 0;

    /// <summary>maxUnavailable scaled to <paramref name="numberToSchedule"/> nodes, percentages rounded up; 0 when not rolling, 1 when unset.</summary>
    public static int UnavailableCount(JsonObject ds, int numberToSchedule)
    {
        if (!IsRollingUpdate(ds))
        {
            return 0;
        }
        var value = ds.GetPath("spec", "updateStrategy", "rollingUpdate", "maxUnavailable") ?? JsonValue.Create(1);
        return DeploymentUtil.GetScaledValueFromIntOrPercent(value, numberToSchedule, roundUp: true);
    }

    private static JsonObject Exists(string key, string effect) => new() { ["key"] = key, ["operator"] = "Exists", ["effect"] = effect };

    /// <summary>Same key, operator, value and effect (upstream Toleration.MatchToleration); tolerationSeconds may differ.</summary>
    private static bool MatchToleration(JsonObject a, JsonObject b) =>
        (a.GetString("key") ?? "") == (b.GetString("key") ?? "") && (a.GetString("operator") ?? "") == (b.GetString("operator") ?? "") &&
        (a.GetString("value") ?? "") == (b.GetString("value") ?? "") && (a.GetString("effect") ?? "") == (b.GetString("effect") ?? "");
}

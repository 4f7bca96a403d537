using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Controllers.History;
using Berth.Controllers.ReplicaSet;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// Pod identity of a StatefulSet: ordinals parsed from names <c>&lt;set&gt;-&lt;ordinal&gt;</c>, the identity labels,
/// hostname and subdomain, and building the pod of an ordinal at a revision. Pure functions over storage-form JSON;
/// they never mutate their inputs except where a method says it mutates a pod copy.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go (getParentNameAndOrdinal,
/// getPodName, isMemberOf, identityMatches, updateIdentity, initIdentity, newStatefulSetPod,
/// newVersionedStatefulSetPod, getStartOrdinal, getEndOrdinal, podInOrdinalRange). Claims: <see cref="StatefulSetStorage"/>.
/// </remarks>
public static partial class StatefulSetUtils
{
    /// <summary>The pod label holding the pod's own name (apps.StatefulSetPodNameLabel).</summary>
    public const string StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name";

    /// <summary>The pod label holding the pod's ordinal (apps.PodIndexLabel).</summary>
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    /// <summary>The pod label holding the name of the ControllerRevision the pod was made from (apps.ControllerRevisionHashLabelKey).</summary>
    public const string ControllerRevisionHashLabel = "controller-revision-hash";

    /// <summary>The parent set's name and the ordinal of a pod name, or ("", -1) when the name has no ordinal suffix.</summary>
    public static (string Parent, int Ordinal) GetParentNameAndOrdinal(string? podName)
    {
        var match = StatefulPodRegex().Match(podName ?? "");
        if (!match.Success || !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
        {
            return ("", -1);
        }
        return (match.Groups[1].Value, ordinal);
    }

    public static int GetOrdinal(JsonObject pod) => GetParentNameAndOrdinal(pod.GetName()).Ordinal;

    public static string GetPodName(JsonObject set, int ordinal) => set.GetName() + "-" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the pod's name says it belongs to <paramref name="set"/> (the claim filter).</summary>
    public static bool IsMemberOf(JsonObject set, JsonObject pod) => GetParentNameAndOrdinal(pod.GetName()).Parent == set.GetName();

    /// <summary>First ordinal of the set (<c>spec.ordinals.start</c>, default 0).</summary>
    public static int GetStartOrdinal(JsonObject set) => (int)(set.GetLong("spec", "ordinals", "start") ?? 0);

    /// <summary>Last ordinal of the set; start − 1 when it has no replicas.</summary>
    public static int GetEndOrdinal(JsonObject set) => GetStartOrdinal(set) + Replicas(set) - 1;

    public static int Replicas(JsonObject set) => (int)(set.GetLong("spec", "replicas") ?? 1);

    public static bool PodInOrdinalRange(JsonObject pod, JsonObject set)
    {
        var ordinal = GetOrdinal(pod);
        return ordinal >= GetStartOrdinal(set) && ordinal <= GetEndOrdinal(set);
    }

    /// <summary>Whether name, namespace and the pod-name label are those of the pod's ordinal in <paramref name="set"/>.</summary>
    public static bool IdentityMatches(JsonObject set, JsonObject pod)
    {
        var (parent, ordinal) = GetParentNameAndOrdinal(pod.GetName());
        return ordinal >= 0 && parent == set.GetName() && pod.GetName() == GetPodName(set, ordinal) &&
            pod.GetNamespace() == set.GetNamespace() &&
            pod.GetLabels().TryGetValue(StatefulSetPodNameLabel, out var label) && label == pod.GetName();
    }

    /// <summary>Mutates <paramref name="pod"/>: name and namespace from its ordinal, and the identity labels.</summary>
    public static void UpdateIdentity(JsonObject set, JsonObject pod)
    {
        var ordinal = GetOrdinal(pod);
        var meta = pod.Metadata();
        meta["name"] = GetPodName(set, ordinal);
        meta["namespace"] = set.GetNamespace();
        if (meta["labels"] is not JsonObject labels)
        {
            labels = [];
            meta["labels"] = labels;
        }
        labels[StatefulSetPodNameLabel] = meta["name"]!.GetValue<string>();
        labels[PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The pod of <paramref name="ordinal"/> built from <paramref name="set"/>'s template: fixed name, identity
    /// labels, controller reference, <c>hostname</c> = pod name, <c>subdomain</c> = <c>spec.serviceName</c> and a volume per claim template.
    /// </summary>
    public static JsonObject NewStatefulSetPod(JsonObject set, int ordinal)
    {
        var pod = PodTemplates.GetPodFromTemplate(set);
        var meta = pod.Metadata();
        meta.Remove("generateName");
        meta["name"] = GetPodName(set, ordinal);
        UpdateIdentity(set, pod);
        var spec = (JsonObject)pod["spec"]!;
        spec["hostname"] = meta["name"]!.GetValue<string>();
        if (set.GetString("spec", "serviceName") is { Length: > 0 } service)
        {
            spec["subdomain"] = service;
        }
        StatefulSetStorage.UpdateStorage(set, pod, ordinal);
        return pod;
    }

    /// <summary>
    /// The pod of <paramref name="ordinal"/> at the right revision: ordinals below the partition (RollingUpdate) stay
    /// at the current revision, all others get the update revision. The revision name goes into the
    /// <c>controller-revision-hash</c> label.
    /// </summary>
    public static JsonObject NewVersionedStatefulSetPod(JsonObject currentSet, JsonObject updateSet, string currentRevision,
        string updateRevision, int ordinal)
    {
        var stayCurrent = currentSet.GetString("spec", "updateStrategy", "type") == "RollingUpdate" &&
            (currentSet.GetObject("spec", "updateStrategy", "rollingUpdate") is null
                ? ordinal < GetStartOrdinal(currentSet) + (currentSet.GetLong("status", "currentReplicas") ?? 0)
                : ordinal < GetStartOrdinal(currentSet) + Partition(currentSet));
        var pod = NewStatefulSetPod(stayCurrent ? currentSet : updateSet, ordinal);
        SetPodRevision(pod, stayCurrent ? currentRevision : updateRevision);
        return pod;
    }

    /// <summary><c>spec.updateStrategy.rollingUpdate.partition</c> (0 when unset).</summary>
    public static int Partition(JsonObject set) => (int)(set.GetLong("spec", "updateStrategy", "rollingUpdate", "partition") ?? 0);

    public static string? GetPodRevision(JsonObject pod) =>
        pod.GetLabels().TryGetValue(ControllerRevisionHashLabel, out var revision) ? revision : null;

    private static void SetPodRevision(JsonObject pod, string revision) =>
        ((JsonObject)pod.Metadata()["labels"]!)[ControllerRevisionHashLabel] = revision;

    /// <summary>Whether the set creates and deletes pods in parallel (<c>podManagementPolicy: Parallel</c>).</summary>
    public static bool AllowsBurst(JsonObject set) => set.GetString("spec", "podManagementPolicy") == "Parallel";

    [GeneratedRegex("^(.*)-([0-9]+)$")]
    private static partial Regex StatefulPodRegex();
}

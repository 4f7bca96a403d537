using System.Text.Json.Nodes;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Defaults that apply to pods but not to pod templates: requests copied from limits, service links, and what
/// upstream's admission plugins add on every pod (ServiceAccount, Priority, DefaultTolerationSeconds). Mutates in
/// place; idempotent, so it is safe on create and on update. Mirrors kubernetes/kubernetes
/// pkg/apis/core/v1/defaults.go (SetDefaults_Pod) and plugin/pkg/admission/{serviceaccount,priority,
/// defaulttolerationseconds}.
/// </summary>
internal static class PodDefaults
{
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const long DefaultTolerationSeconds = 300;

    public static void Apply(JsonObject pod)
    {
        var spec = JsonFields.Child(pod, "spec");
        DefaultRequestsFromLimits(spec);
        PodSpecDefaults.Apply(spec);
        JsonFields.SetDefault(spec, "enableServiceLinks", true);
        JsonFields.SetDefaultString(spec, "serviceAccountName", "default");
        PodSpecDefaults.MirrorServiceAccount(spec);
        if (spec["priorityClassName"] is null)
        {
            JsonFields.SetDefault(spec, "priority", 0L);
        }
        JsonFields.SetDefaultString(spec, "preemptionPolicy", "PreemptLowerPriority");
        AddDefaultTolerations(spec);
    }

    /// <summary>
    /// A container that sets a limit but no request for a resource requests its limit (upstream does this for pods
    /// only, not templates). Runs before QoS is computed.
    /// </summary>
    public static void DefaultRequestsFromLimits(JsonObject spec)
    {
        foreach (var list in (string[])["initContainers", "containers"])
        {
            foreach (var (_, container) in JsonFields.Objects(spec[list] as JsonArray))
            {
                if (container["resources"] is not JsonObject { } resources || resources["limits"] is not JsonObject limits)
                {
                    continue;
                }
                var requests = JsonFields.Child(resources, "requests");
                foreach (var (name, value) in limits)
                {
                    if (!requests.ContainsKey(name))
                    {
                        requests[name] = value?.DeepClone();
                    }
                }
            }
        }
    }

    /// <summary>Tolerates not-ready and unreachable nodes for 300 s unless the pod already tolerates them.</summary>
    private static void AddDefaultTolerations(JsonObject spec)
    {
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        var toleratesNotReady = false;
        var toleratesUnreachable = false;
        foreach (var (_, t) in JsonFields.Objects(tolerations))
        {
            var key = JsonFields.AsString(t["key"]) ?? "";
            var effect = JsonFields.AsString(t["effect"]) ?? "";
            if (effect is not ("NoExecute" or ""))
            {
                continue;
            }
            toleratesNotReady |= key is NotReadyTaint or "";
            toleratesUnreachable |= key is UnreachableTaint or "";
        }
        if (toleratesNotReady && toleratesUnreachable)
        {
            return;
        }
        if (!toleratesNotReady)
        {
            tolerations.Add(Toleration(NotReadyTaint));
        }
        if (!toleratesUnreachable)
        {
            tolerations.Add(Toleration(UnreachableTaint));
        }
        spec["tolerations"] = tolerations;
    }

    private static JsonObject Toleration(string key) => new()
    {
        ["key"] = key,
        ["operator"] = "Exists",
        ["effect"] = "NoExecute",
        ["tolerationSeconds"] = DefaultTolerationSeconds,
    };
}

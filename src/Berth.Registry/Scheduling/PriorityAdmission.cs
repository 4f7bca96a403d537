using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Scheduling;

/// <summary>
/// The Priority admission step of a pod create: resolves <c>spec.priorityClassName</c> (or, when empty, the
/// globalDefault class) into <c>spec.priority</c> and <c>spec.preemptionPolicy</c>. Without a name and without a
/// default class the pod gets priority 0 and PreemptLowerPriority. An unknown class, or a pod that sets a priority or
/// preemption policy other than the computed one, is refused with upstream's 403. On update a priority the client
/// omitted is carried over from the stored pod. Stateless, thread-safe. Mirrors admitPod in kubernetes/kubernetes
/// plugin/pkg/admission/priority/admission.go.
/// </summary>
internal static class PriorityAdmission
{
    /// <summary>Looks up a PriorityClass by name; null when it does not exist.</summary>
    public delegate Task<JsonObject?> ClassLookup(string name, CancellationToken cancellationToken);

    /// <summary>Mutates <paramref name="pod"/> as described above, or throws a 403 <see cref="ApiException"/>.</summary>
    public static async Task AdmitCreateAsync(JsonObject pod, string? defaultClass, ClassLookup lookup, CancellationToken cancellationToken)
    {
        if (pod["spec"] is not JsonObject spec)
        {
            return;
        }
        var className = JsonFields.AsString(spec["priorityClassName"]) ?? "";
        long priority = 0;
        string? policy = PriorityClassStrategy.PreemptLowerPriority;
        if (className.Length == 0)
        {
            if (defaultClass is not null && await lookup(defaultClass, cancellationToken).ConfigureAwait(false) is { } pc)
            {
                (priority, policy) = ValueAndPolicy(pc);
                spec["priorityClassName"] = defaultClass;
            }
        }
        else
        {
            var pc = await lookup(className, cancellationToken).ConfigureAwait(false)
                ?? throw Forbidden(pod, $"no PriorityClass with name {className} was found");
            (priority, policy) = ValueAndPolicy(pc);
        }
        if (JsonFields.AsLong(spec["priority"]) is { } given && given != priority)
        {
            throw Forbidden(pod, $"the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name");
        }
        spec["priority"] = priority;
        if (policy is not null)
        {
            if (JsonFields.AsString(spec["preemptionPolicy"]) is { } givenPolicy && givenPolicy != policy)
            {
                throw Forbidden(pod, $"the string value of PreemptionPolicy ({givenPolicy}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name");
            }
            spec["preemptionPolicy"] = policy;
        }
    }

    /// <summary>Keeps the stored pod's priority and preemption policy when an update omits them (upstream's update branch).</summary>
    public static void AdmitUpdate(JsonObject newPod, JsonObject oldPod)
    {
        if (newPod["spec"] is not JsonObject spec || oldPod["spec"] is not JsonObject oldSpec)
        {
            return;
        }
        foreach (var key in (string[])["priority", "preemptionPolicy"])
        {
            if (spec[key] is null && oldSpec[key] is { } old)
            {
                spec[key] = old.DeepClone();
            }
        }
    }

    private static (long Value, string? Policy) ValueAndPolicy(JsonObject pc) =>
        (JsonFields.AsLong(pc["value"]) ?? 0, JsonFields.AsString(pc["preemptionPolicy"]));

    /// <summary>Upstream's admission.NewForbidden names the pod by name, else generateName, else "Unknown".</summary>
    private static ApiException Forbidden(JsonObject pod, string reason)
    {
        var name = pod.GetName() is { Length: > 0 } n ? n : pod.GetString("metadata", "generateName") is { Length: > 0 } g ? g : "Unknown";
        return ApiErrors.Forbidden(KindRegistry.Pods, name, reason);
    }
}

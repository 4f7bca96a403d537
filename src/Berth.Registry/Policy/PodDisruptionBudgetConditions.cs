using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Policy;

/// <summary>
/// The <c>DisruptionAllowed</c> condition of a PodDisruptionBudget's status, shared by the disruption controller and the
/// eviction subresource so both write it the same way. Pure functions over objects in storage form; the
/// <c>Update*</c> members mutate the object they are given (a private copy, never a cached object).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/component-helpers/apps/poddisruptionbudget/helpers.go.</remarks>
public static class PodDisruptionBudgetConditions
{
    public const string DisruptionAllowed = "DisruptionAllowed";

    /// <summary>Reason while disruptionsAllowed &gt; 0.</summary>
    public const string SufficientPodsReason = "SufficientPods";

    /// <summary>Reason while disruptionsAllowed is 0.</summary>
    public const string InsufficientPodsReason = "InsufficientPods";

    /// <summary>Reason after a sync failed; disruptionsAllowed is then forced to 0 (fail safe).</summary>
    public const string SyncFailedReason = "SyncFailed";

    /// <summary>
    /// Sets DisruptionAllowed from <c>status.disruptionsAllowed</c>: True/SufficientPods when positive, else
    /// False/InsufficientPods; the observedGeneration is the status's. (UpdateDisruptionAllowedCondition.)
    /// </summary>
    public static void UpdateDisruptionAllowedCondition(JsonObject pdb, DateTimeOffset now)
    {
        var allowed = (pdb.GetLong("status", "disruptionsAllowed") ?? 0) > 0;
        SetStatusCondition(pdb, allowed ? "True" : "False", allowed ? SufficientPodsReason : InsufficientPodsReason, "", now);
    }

    /// <summary>
    /// True when DisruptionAllowed exists, the status observed the current generation, and the condition agrees with
    /// disruptionsAllowed (ConditionsAreUpToDate).
    /// </summary>
    public static bool ConditionsAreUpToDate(JsonObject pdb)
    {
        if (Find(pdb) is not { } cond || (pdb.GetLong("status", "observedGeneration") ?? 0) != (pdb.GetLong("metadata", "generation") ?? 0))
        {
            return false;
        }
        return (pdb.GetLong("status", "disruptionsAllowed") ?? 0) > 0
            ? cond.GetString("status") == "True" && cond.GetString("reason") == SufficientPodsReason
            : cond.GetString("status") == "False" && cond.GetString("reason") == InsufficientPodsReason;
    }

    /// <summary>
    /// Adds or updates the DisruptionAllowed condition (apimachinery meta.SetStatusCondition): lastTransitionTime moves
    /// only when the status changes; reason, message and observedGeneration are always overwritten.
    /// </summary>
    public static void SetStatusCondition(JsonObject pdb, string status, string reason, string message, DateTimeOffset now)
    {
        if (pdb["status"] is not JsonObject statusObj)
        {
            statusObj = [];
            pdb["status"] = statusObj;
        }
        if (statusObj["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            statusObj["conditions"] = conditions;
        }
        var cond = Find(pdb);
        if (cond is null)
        {
            cond = new JsonObject { ["type"] = DisruptionAllowed };
            conditions.Add(cond);
        }
        if (cond.GetString("status") != status || cond["lastTransitionTime"] is null)
        {
            cond["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }
        cond["status"] = status;
        cond["reason"] = reason;
        cond["message"] = message;
        cond["observedGeneration"] = statusObj["observedGeneration"]?.DeepClone() ?? JsonValue.Create(0L);
    }

    private static JsonObject? Find(JsonObject pdb) =>
        pdb.GetArray("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == DisruptionAllowed);
}

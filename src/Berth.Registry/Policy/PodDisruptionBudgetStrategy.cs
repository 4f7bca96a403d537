using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Apps;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Policy;

/// <summary>
/// PodDisruptionBudgets (policy/v1): generation tracking; at most one of minAvailable and maxUnavailable, each a
/// non-negative int or a percent up to 100%; a valid selector and eviction policy. Stateless and thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/policy/poddisruptionbudget/strategy.go and pkg/apis/policy/validation
/// (ValidatePodDisruptionBudgetSpec).
/// </summary>
internal sealed class PodDisruptionBudgetStrategy() : ResourceStrategy(KindRegistry.PodDisruptionBudgets)
{
    private static readonly string[] EvictionPolicies = ["AlwaysAllow", "IfHealthyBudget"];

    public override bool TracksGeneration => true;

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var spec = obj["spec"] as JsonObject ?? [];
        if (spec["minAvailable"] is not null && spec["maxUnavailable"] is not null)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec", "minAvailable and maxUnavailable cannot be both set", spec.ToJsonString()));
        }
        foreach (var field in (string[])["minAvailable", "maxUnavailable"])
        {
            if (spec[field] is { } value)
            {
                IntOrPercentValidation.ValidatePositiveIntOrPercent(value, "spec." + field, errs);
                IntOrPercentValidation.IsNotMoreThan100Percent(value, "spec." + field, errs);
            }
        }
        LabelSelectors.Validate(spec["selector"] as JsonObject, "spec.selector", errs);
        if (JsonFields.AsString(spec["unhealthyPodEvictionPolicy"]) is { } policy && !EvictionPolicies.Contains(policy))
        {
            errs.Add(FieldError.NotSupported("spec.unhealthyPodEvictionPolicy", policy, EvictionPolicies));
        }
        return errs;
    }
}

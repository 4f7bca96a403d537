using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.Deployments;

/// <summary>
/// A Deployment spec: replicas, selector and template (shared workload rules), strategy, and the counters.
/// Mirrors kubernetes/kubernetes pkg/apis/apps/validation (ValidateDeploymentSpec, ValidateDeploymentStrategy,
/// ValidateRollingUpdateDeployment).
/// </summary>
internal static class DeploymentValidation
{
    public static void Validate(JsonObject spec, List<FieldError> errs)
    {
        WorkloadValidation.ValidateNonNegative(spec, "replicas", errs);
        WorkloadValidation.ValidateSelectorAndTemplate(spec, "deployment", "Deployment", errs);
        ValidateStrategy(spec["strategy"] as JsonObject ?? [], errs);
        WorkloadValidation.ValidateNonNegative(spec, "minReadySeconds", errs);
        WorkloadValidation.ValidateNonNegative(spec, "revisionHistoryLimit", errs);
        WorkloadValidation.ValidateNonNegative(spec, "progressDeadlineSeconds", errs);
        if (JsonFields.AsLong(spec["progressDeadlineSeconds"]) is { } deadline && deadline <= (JsonFields.AsLong(spec["minReadySeconds"]) ?? 0))
        {
            errs.Add(FieldError.Invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
        }
    }

    private static void ValidateStrategy(JsonObject strategy, List<FieldError> errs)
    {
        switch (JsonFields.AsString(strategy["type"]))
        {
            case "Recreate":
                if (strategy["rollingUpdate"] is not null)
                {
                    errs.Add(FieldError.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
                }
                break;
            case "RollingUpdate":
                if (strategy["rollingUpdate"] is not JsonObject rollingUpdate)
                {
                    errs.Add(FieldError.Required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
                    break;
                }
                ValidateRollingUpdate(rollingUpdate, errs);
                break;
            default:
                errs.Add(new FieldError(CauseType.FieldValueNotSupported, "spec.strategy", "supported values: \"Recreate\", \"RollingUpdate\"",
                    GoValueRenderer.Render(strategy["type"])));
                break;
        }
    }

    private static void ValidateRollingUpdate(JsonObject rollingUpdate, List<FieldError> errs)
    {
        const string path = "spec.strategy.rollingUpdate";
        var maxUnavailable = rollingUpdate["maxUnavailable"];
        var maxSurge = rollingUpdate["maxSurge"];
        IntOrPercentValidation.ValidatePositiveIntOrPercent(maxUnavailable, path + ".maxUnavailable", errs);
        IntOrPercentValidation.ValidatePositiveIntOrPercent(maxSurge, path + ".maxSurge", errs);
        if (IntOrPercentValidation.GetValue(maxUnavailable) == 0 && IntOrPercentValidation.GetValue(maxSurge) == 0)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path + ".maxUnavailable", "may not be 0 when `maxSurge` is 0",
                IntOrPercentValidation.Render(maxUnavailable)));
        }
        IntOrPercentValidation.IsNotMoreThan100Percent(maxUnavailable, path + ".maxUnavailable", errs);
    }
}

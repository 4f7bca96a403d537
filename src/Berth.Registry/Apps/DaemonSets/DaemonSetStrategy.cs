using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.Pods;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.DaemonSets;

/// <summary>
/// DaemonSets: generation tracking; defaults RollingUpdate with maxUnavailable 1 and maxSurge 0 and 10
/// revisions; workload validation, the update strategy, and an immutable selector. Stateless and thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/apps/daemonset/strategy.go, pkg/apis/apps/v1/defaults.go
/// (SetDefaults_DaemonSet) and pkg/apis/apps/validation (ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy).
/// </summary>
internal sealed class DaemonSetStrategy() : ResourceStrategy(KindRegistry.DaemonSets)
{
    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        var spec = JsonFields.Child(obj, "spec");
        var strategy = JsonFields.Child(spec, "updateStrategy");
        JsonFields.SetDefaultString(strategy, "type", "RollingUpdate");
        if (JsonFields.AsString(strategy["type"]) == "RollingUpdate")
        {
            var rollingUpdate = JsonFields.Child(strategy, "rollingUpdate");
            JsonFields.SetDefault(rollingUpdate, "maxUnavailable", 1L);
            JsonFields.SetDefault(rollingUpdate, "maxSurge", 0L);
        }
        JsonFields.SetDefault(spec, "revisionHistoryLimit", 10L);
        PodTemplateValidation.Default(spec["template"] as JsonObject);
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var spec = obj["spec"] as JsonObject ?? [];
        WorkloadValidation.ValidateSelectorAndTemplate(spec, "daemonset", "DaemonSet", errs);
        WorkloadValidation.ValidateNonNegative(spec, "minReadySeconds", errs);
        WorkloadValidation.ValidateNonNegative(spec, "revisionHistoryLimit", errs);
        ValidateUpdateStrategy(spec["updateStrategy"] as JsonObject ?? [], errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        WorkloadValidation.ValidateSelectorImmutable(newObj, oldObj, errs);
        return errs;
    }

    private static void ValidateUpdateStrategy(JsonObject strategy, List<FieldError> errs)
    {
        const string path = "spec.updateStrategy.rollingUpdate";
        var type = JsonFields.AsString(strategy["type"]) ?? "";
        if (type == "OnDelete")
        {
            return;
        }
        if (type != "RollingUpdate")
        {
            errs.Add(FieldError.NotSupported("spec.updateStrategy", type, ["OnDelete", "RollingUpdate"]));
            return;
        }
        if (strategy["rollingUpdate"] is not JsonObject rollingUpdate)
        {
            errs.Add(FieldError.Required(path));
            return;
        }
        var maxUnavailable = rollingUpdate["maxUnavailable"];
        var maxSurge = rollingUpdate["maxSurge"];
        IntOrPercentValidation.ValidatePositiveIntOrPercent(maxUnavailable, path + ".maxUnavailable", errs);
        IntOrPercentValidation.ValidatePositiveIntOrPercent(maxSurge, path + ".maxSurge", errs);
        IntOrPercentValidation.IsNotMoreThan100Percent(maxUnavailable, path + ".maxUnavailable", errs);
        IntOrPercentValidation.IsNotMoreThan100Percent(maxSurge, path + ".maxSurge", errs);
        // Exactly one of the two may be non-zero (upstream ValidateRollingUpdateDaemonSet).
        var hasUnavailable = IntOrPercentValidation.GetValue(maxUnavailable) != 0;
        var hasSurge = IntOrPercentValidation.GetValue(maxSurge) != 0;
        if (hasUnavailable && hasSurge)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path + ".maxSurge", "may not be set when maxUnavailable is non-zero",
                IntOrPercentValidation.Render(maxSurge)));
        }
        else if (!hasUnavailable && !hasSurge)
        {
            errs.Add(FieldError.Required(path + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
        }
    }
}

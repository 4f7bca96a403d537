using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.Deployments;

/// <summary>
/// Deployments: generation tracking, defaults, spec validation and an immutable selector; status only through
/// <c>/status</c>, which may not change the labels either. Stateless and thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/apps/deployment/strategy.go (deploymentStrategy, deploymentStatusStrategy).
/// </summary>
internal sealed class DeploymentStrategy() : ResourceStrategy(KindRegistry.Deployments)
{
    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj) => DeploymentDefaults.Apply(JsonFields.Child(obj, "spec"));

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        DeploymentValidation.Validate(obj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        WorkloadValidation.ValidateSelectorImmutable(newObj, oldObj, errs);
        return errs;
    }

    public override void PrepareForStatusUpdate(JsonObject newObj, JsonObject oldObj)
    {
        base.PrepareForStatusUpdate(newObj, oldObj);
        WorkloadStatus.KeepLabels(newObj, oldObj);
    }
}

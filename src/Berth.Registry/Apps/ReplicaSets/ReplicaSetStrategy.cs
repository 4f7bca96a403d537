using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.Pods;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.ReplicaSets;

/// <summary>
/// ReplicaSets: generation tracking, 1 replica by default, the shared workload validation (upstream reuses the
/// Deployment wording for an empty selector) and an immutable selector. Stateless and thread-safe. Mirrors
/// kubernetes/kubernetes pkg/registry/apps/replicaset/strategy.go and pkg/apis/apps/validation
/// (ValidateReplicaSetSpec).
/// </summary>
internal sealed class ReplicaSetStrategy() : ResourceStrategy(KindRegistry.ReplicaSets)
{
    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        var spec = JsonFields.Child(obj, "spec");
        JsonFields.SetDefault(spec, "replicas", 1L);
        PodTemplateValidation.Default(spec["template"] as JsonObject);
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var spec = obj["spec"] as JsonObject ?? [];
        WorkloadValidation.ValidateNonNegative(spec, "replicas", errs);
        WorkloadValidation.ValidateNonNegative(spec, "minReadySeconds", errs);
        WorkloadValidation.ValidateSelectorAndTemplate(spec, "deployment", "ReplicaSet", errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        WorkloadValidation.ValidateSelectorImmutable(newObj, oldObj, errs);
        return errs;
    }
}

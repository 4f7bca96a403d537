using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.StatefulSets;

/// <summary>
/// StatefulSets: generation tracking, defaults, workload validation, and updates limited to the fields upstream
/// allows (replicas, template, updateStrategy…). Stateless and thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/apps/statefulset/strategy.go.
/// </summary>
internal sealed class StatefulSetStrategy() : ResourceStrategy(KindRegistry.StatefulSets)
{
    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj) => StatefulSetDefaults.Apply(JsonFields.Child(obj, "spec"));

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        StatefulSetValidation.Validate(obj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        StatefulSetValidation.ValidateUpdate(newObj["spec"] as JsonObject ?? [], oldObj["spec"] as JsonObject ?? [], errs);
        return errs;
    }
}

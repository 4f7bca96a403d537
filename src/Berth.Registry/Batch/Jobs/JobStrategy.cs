using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.Jobs;

/// <summary>
/// Jobs: a generated controller-uid selector on create (unless manualSelector), generation tracking, defaults,
/// validation, immutable selector/completions/template, and the <c>status.successful</c> field selector.
/// Stateless and thread-safe. Mirrors kubernetes/kubernetes pkg/registry/batch/job/strategy.go.
/// </summary>
internal sealed class JobStrategy() : ResourceStrategy(KindRegistry.Jobs)
{
    public override bool TracksGeneration => true;

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        JobSelector.GenerateIfNeeded(obj);
    }

    public override void Default(JsonObject obj) => JobDefaults.Apply(obj);

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        JobValidation.ValidateSpec(obj["spec"] as JsonObject ?? [], "spec", requireSelector: true, errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        JobValidation.ValidateSpecUpdate(newObj["spec"] as JsonObject ?? [], oldObj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "status.successful" => (JsonFields.AsLong(obj.GetPath("status", "succeeded")) ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => base.GetSelectableField(obj, field),
    };
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps.ControllerRevisions;

/// <summary>
/// ControllerRevisions: <c>data</c> is required and immutable, <c>revision</c> non-negative. No generation, no
/// status. Stateless and thread-safe. Mirrors kubernetes/kubernetes pkg/registry/apps/controllerrevision/strategy.go
/// and pkg/apis/apps/validation (ValidateControllerRevisionCreate, ValidateControllerRevisionUpdate).
/// </summary>
internal sealed class ControllerRevisionStrategy() : ResourceStrategy(KindRegistry.ControllerRevisions)
{
    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        if (obj["data"] is null)
        {
            errs.Add(FieldError.Required("data", "data is mandatory"));
        }
        if (JsonFields.AsLong(obj["revision"]) is < 0 and var revision)
        {
            errs.Add(FieldError.Invalid("revision", revision, ValidationMessages.IsNegativeError));
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        ImmutableField.Validate(newObj["data"], oldObj["data"], "data", errs);
        return errs;
    }
}

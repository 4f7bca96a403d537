using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ResourceQuotas;

/// <summary>
/// ResourceQuotas (core/v1): an empty status on create (the quota controller fills <c>hard</c> and <c>used</c>);
/// <c>spec.hard</c> and <c>status</c> amounts are valid non-negative quantities under qualified names; scopes are
/// among upstream's. Stateless, thread-safe. Mirrors kubernetes/kubernetes pkg/registry/core/resourcequota/strategy.go
/// and pkg/apis/core/validation (ValidateResourceQuota, ValidateResourceQuotaStatusUpdate).
/// </summary>
internal sealed class ResourceQuotaStrategy() : ResourceStrategy(KindRegistry.ResourceQuotas)
{
    private static readonly string[] Scopes = ["BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating"];

    public override void PrepareForCreate(JsonObject obj) => obj["status"] = new JsonObject();

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        ValidateList(obj["spec"]?["hard"] as JsonObject, "spec.hard", errs);
        var scopes = obj["spec"]?["scopes"] as JsonArray ?? [];
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = JsonFields.AsString(scopes[i]) ?? "";
            if (!Scopes.Contains(scope))
            {
                errs.Add(FieldError.NotSupported(FieldPath.Index("spec.scopes", i), scope, Scopes));
            }
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateStatusUpdate(newObj, oldObj));
        ValidateList(newObj["status"]?["hard"] as JsonObject, "status.hard", errs);
        ValidateList(newObj["status"]?["used"] as JsonObject, "status.used", errs);
        return errs;
    }

    private static void ValidateList(JsonObject? list, string path, List<FieldError> errs)
    {
        foreach (var (name, value) in list ?? [])
        {
            var key = FieldPath.Key(path, name);
            foreach (var msg in QualifiedNameValidation.IsQualifiedName(name.StartsWith("count/", StringComparison.Ordinal) ? name[6..] : name))
            {
                errs.Add(FieldError.Invalid(key, name, msg));
            }
            QuantityValidation.ValidateNonNegative(value, key, errs);
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Storage.StorageClasses;

/// <summary>
/// StorageClasses (storage.k8s.io/v1, cluster-scoped): <c>reclaimPolicy</c> defaults to <c>Delete</c> and
/// <c>volumeBindingMode</c> to <c>Immediate</c>; the provisioner is a required qualified name; parameters, provisioner
/// and reclaim policy cannot change, nor can the binding mode. Stateless and thread-safe.
/// Mirrors pkg/registry/storage/storageclass/strategy.go and pkg/apis/storage/validation (ValidateStorageClass,
/// ValidateStorageClassUpdate).
/// </summary>
internal sealed class StorageClassStrategy() : ResourceStrategy(KindRegistry.StorageClasses)
{
    private static readonly string[] ReclaimPolicies = ["Delete", "Retain"];
    private static readonly string[] BindingModes = ["Immediate", "WaitForFirstConsumer"];
    private const int MaxParametersLength = 256 * 1024;

    public override void Default(JsonObject obj)
    {
        JsonFields.SetDefaultString(obj, "reclaimPolicy", "Delete");
        JsonFields.SetDefaultString(obj, "volumeBindingMode", "Immediate");
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var provisioner = JsonFields.AsString(obj["provisioner"]) ?? "";
        if (provisioner.Length == 0)
        {
            errs.Add(FieldError.Required("provisioner"));
        }
        else
        {
            errs.AddRange(QualifiedNameValidation.IsQualifiedName(provisioner.ToLowerInvariant())
                .Select(msg => FieldError.Invalid("provisioner", provisioner.ToLowerInvariant(), msg)));
        }
        ValidateParameters(obj["parameters"] as JsonObject, errs);
        if (JsonFields.AsString(obj["reclaimPolicy"]) is { } policy && !ReclaimPolicies.Contains(policy))
        {
            errs.Add(FieldError.NotSupported("reclaimPolicy", policy, ReclaimPolicies));
        }
        if (JsonFields.AsString(obj["volumeBindingMode"]) is not { } mode)
        {
            errs.Add(FieldError.Required("volumeBindingMode"));
        }
        else if (!BindingModes.Contains(mode))
        {
            errs.Add(FieldError.NotSupported("volumeBindingMode", mode, BindingModes));
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        if (!JsonSemantics.Equal(newObj["parameters"], oldObj["parameters"]))
        {
            errs.Add(FieldError.Forbidden("parameters", "updates to parameters are forbidden."));
        }
        if (JsonFields.AsString(newObj["provisioner"]) != JsonFields.AsString(oldObj["provisioner"]))
        {
            errs.Add(FieldError.Forbidden("provisioner", "updates to provisioner are forbidden."));
        }
        if (JsonFields.AsString(newObj["reclaimPolicy"]) != JsonFields.AsString(oldObj["reclaimPolicy"]))
        {
            errs.Add(FieldError.Forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
        }
        ImmutableField.Validate(newObj["volumeBindingMode"], oldObj["volumeBindingMode"], "volumeBindingMode", errs);
        return errs;
    }

    private static void ValidateParameters(JsonObject? parameters, List<FieldError> errs)
    {
        var total = 0;
        foreach (var (key, value) in parameters ?? [])
        {
            if (key.Length == 0)
            {
                errs.Add(FieldError.Invalid("parameters", key, "field can not be empty."));
            }
            total += key.Length + (JsonFields.AsString(value)?.Length ?? 0);
        }
        if (total > MaxParametersLength)
        {
            errs.Add(FieldError.TooLong("parameters", MaxParametersLength));
        }
    }
}

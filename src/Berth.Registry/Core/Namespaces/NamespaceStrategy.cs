using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Namespaces;

/// <summary>
/// Namespaces: DNS-label names, <c>Active</c> phase and the <c>kubernetes</c> finalizer on create, the
/// <c>kubernetes.io/metadata.name</c> label, and finalizers/status that only the finalize and status
/// subresources may change. Stateless and thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/core/namespace/strategy.go and pkg/apis/core/validation (ValidateNamespace).
/// </summary>
internal sealed class NamespaceStrategy() : ResourceStrategy(KindRegistry.Namespaces)
{
    public const string KubernetesFinalizer = "kubernetes";
    public const string NameLabel = "kubernetes.io/metadata.name";

    private protected override NameValidator NameValidator => NameValidation.NameIsDnsLabel;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        var finalizers = JsonFields.Child(obj, "spec")["finalizers"] as JsonArray;
        if (finalizers is null)
        {
            obj.GetObject("spec")!["finalizers"] = finalizers = [];
        }
        if (!finalizers.Any(f => JsonFields.AsString(f) == KubernetesFinalizer))
        {
            finalizers.Add(KubernetesFinalizer);
        }
    }

    /// <summary>Spec finalizers and status are kept from the old object (finalize and status subresources own them).</summary>
    public override void PrepareForUpdate(JsonObject newObj, JsonObject oldObj)
    {
        base.PrepareForUpdate(newObj, oldObj);
        JsonFields.Child(newObj, "spec")["finalizers"] = oldObj.GetPath("spec", "finalizers")?.DeepClone();
        if (newObj.GetObject("spec")!["finalizers"] is null)
        {
            newObj.GetObject("spec")!.Remove("finalizers");
        }
    }

    /// <summary>The name label always equals the name (upstream SetDefaults_Namespace).</summary>
    public override void Default(JsonObject obj)
    {
        if (obj.GetName() is { Length: > 0 } name)
        {
            JsonFields.Child(obj.Metadata(), "labels")[NameLabel] = name;
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        foreach (var node in obj.GetArray("spec", "finalizers") ?? [])
        {
            ValidateFinalizerName(JsonFields.AsString(node) ?? "", errs);
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateStatusUpdate(newObj, oldObj));
        var phase = newObj.GetString("status", "phase") ?? "";
        var deleting = newObj.GetPath("metadata", "deletionTimestamp") is not null;
        if (!deleting && phase != "Active")
        {
            errs.Add(FieldError.Invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty"));
        }
        else if (deleting && phase != "Terminating")
        {
            errs.Add(FieldError.Invalid("status.Phase", phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
        }
        return errs;
    }

    /// <summary>Upstream also answers the legacy <c>name</c> field (kept for backward compatibility).</summary>
    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "status.phase" => obj.GetString("status", "phase") ?? "",
        "name" => obj.GetName() ?? "",
        _ => base.GetSelectableField(obj, field),
    };

    private static void ValidateFinalizerName(string name, List<FieldError> errs)
    {
        const string path = "spec.finalizers";
        foreach (var msg in QualifiedNameValidation.IsQualifiedName(name))
        {
            errs.Add(FieldError.Invalid(path, name, msg));
        }
        if (!name.Contains('/') && name is not (KubernetesFinalizer or "orphan" or "foregroundDeletion"))
        {
            errs.Add(FieldError.Invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified"));
        }
    }
}

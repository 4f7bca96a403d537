using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Validation;

/// <summary>
/// Validation of <c>metadata</c> shared by every kind, on create and on update. Runs after the registry has filled
/// <c>metadata.namespace</c> and generated the name from <c>generateName</c>. Stateless and thread-safe.
/// Mirrors k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
/// ValidateObjectMetaAccessorUpdate).
/// </summary>
internal static class ObjectMetaValidation
{
    public static List<FieldError> Validate(JsonObject obj, bool namespaced, NameValidator nameFn)
    {
        var errs = new List<FieldError>();
        var meta = obj.GetObject("metadata") ?? new JsonObject();
        var generateName = JsonFields.AsString(meta["generateName"]) ?? "";
        if (generateName.Length > 0)
        {
            foreach (var msg in nameFn(generateName, true))
            {
                errs.Add(FieldError.Invalid("metadata.generateName", generateName, msg));
            }
        }
        var name = JsonFields.AsString(meta["name"]) ?? "";
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var msg in nameFn(name, false))
            {
                errs.Add(FieldError.Invalid("metadata.name", name, msg));
            }
        }
        ValidateNamespace(JsonFields.AsString(meta["namespace"]) ?? "", namespaced, errs);
        if (JsonFields.AsLong(meta["generation"]) is < 0 and var generation)
        {
            errs.Add(FieldError.Invalid("metadata.generation", generation, ValidationMessages.IsNegativeError));
        }
        ValidateCommon(meta, errs);
        return errs;
    }

    /// <summary>
    /// Update rules: identity fields may not change and finalizers may not be added once deletion started. The new
    /// metadata's own syntax is checked by <see cref="Validate"/>. Fields the new object omits (uid,
    /// creationTimestamp) are not compared: the registry copies them from the stored object.
    /// </summary>
    public static List<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>();
        var meta = newObj.GetObject("metadata") ?? new JsonObject();
        var oldMeta = oldObj.GetObject("metadata") ?? new JsonObject();
        if (oldMeta["deletionTimestamp"] is not null)
        {
            ValidateNoNewFinalizers(meta, oldMeta, errs);
        }
        if (JsonFields.AsLong(meta["generation"]) is { } gen && JsonFields.AsLong(oldMeta["generation"]) is { } oldGen && gen < oldGen)
        {
            errs.Add(FieldError.Invalid("metadata.generation", gen, "must not be decremented"));
        }
        ImmutableField.Validate(meta["name"], oldMeta["name"], "metadata.name", errs);
        ImmutableField.Validate(meta["namespace"], oldMeta["namespace"], "metadata.namespace", errs);
        foreach (var key in (string[])["uid", "creationTimestamp"])
        {
            if (meta[key] is not null)
            {
                ImmutableField.Validate(meta[key], oldMeta[key], "metadata." + key, errs);
            }
        }
        return errs;
    }

    private static void ValidateNamespace(string ns, bool namespaced, List<FieldError> errs)
    {
        if (!namespaced)
        {
            if (ns.Length > 0)
            {
                errs.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
            }
            return;
        }
        if (ns.Length == 0)
        {
            errs.Add(FieldError.Required("metadata.namespace"));
            return;
        }
        foreach (var msg in NameValidation.NameIsDnsLabel(ns, false))
        {
            errs.Add(FieldError.Invalid("metadata.namespace", ns, msg));
        }
    }

    private static void ValidateCommon(JsonObject meta, List<FieldError> errs)
    {
        LabelValidation.ValidateLabels(meta["labels"] as JsonObject, "metadata.labels", errs);
        LabelValidation.ValidateAnnotations(meta["annotations"] as JsonObject, "metadata.annotations", errs);
        ValidateOwnerReferences(meta["ownerReferences"] as JsonArray, errs);
        ValidateFinalizers(meta["finalizers"] as JsonArray, errs);
    }

    private static void ValidateOwnerReferences(JsonArray? refs, List<FieldError> errs)
    {
        const string path = "metadata.ownerReferences";
        foreach (var (_, r) in JsonFields.Objects(refs))
        {
            var apiVersion = JsonFields.AsString(r["apiVersion"]) ?? "";
            if (apiVersion.Length == 0 || apiVersion.EndsWith('/'))
            {
                errs.Add(FieldError.Invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
            }
            foreach (var (field, what) in (ReadOnlySpan<(string, string)>)[("kind", "kind"), ("name", "name"), ("uid", "uid")])
            {
                var value = JsonFields.AsString(r[field]) ?? "";
                if (value.Length == 0)
                {
                    errs.Add(FieldError.Invalid(path + "." + field, value, what + " must not be empty"));
                }
            }
        }
    }

    private static void ValidateFinalizers(JsonArray? finalizers, List<FieldError> errs)
    {
        var names = (finalizers ?? []).Select(n => JsonFields.AsString(n) ?? "").ToList();
        foreach (var name in names)
        {
            foreach (var msg in QualifiedNameValidation.IsQualifiedName(name))
            {
                errs.Add(FieldError.Invalid("metadata.finalizers", name, msg));
            }
        }
        if (names.Contains("orphan") && names.Contains("foregroundDeletion"))
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "metadata.finalizers",
                "finalizer orphan and foregroundDeletion cannot be both set", GoValueRenderer.StringSlice(names)));
        }
    }

    private static void ValidateNoNewFinalizers(JsonObject meta, JsonObject oldMeta, List<FieldError> errs)
    {
        var old = (oldMeta["finalizers"] as JsonArray ?? []).Select(n => JsonFields.AsString(n)).ToHashSet();
        var added = (meta["finalizers"] as JsonArray ?? []).Select(n => JsonFields.AsString(n) ?? "")
            .Where(f => !old.Contains(f)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            errs.Add(FieldError.Forbidden("metadata.finalizers",
                "no new finalizers can be added if the object is being deleted, found new finalizers " + GoValueRenderer.StringSlice(added)));
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Generic;

/// <summary>
/// The defaults every kind starts from: no status handling, no graceful delete, metadata-only field selectors,
/// and ObjectMeta validation (name format, namespace, labels, annotations, finalizers, owner references).
/// Per-kind strategies derive from this and override what their upstream strategy.go overrides; overrides of
/// <see cref="Validate"/> and <see cref="ValidateUpdate"/> call the base and append their own errors.
/// </summary>
public class ResourceStrategy(ResourceKind kind) : IResourceStrategy
{
    public ResourceKind Kind { get; } = kind;

    public virtual bool TracksGeneration => false;

    public virtual bool AllowCreateOnUpdate => false;

    /// <summary>True for kinds whose status is written only through <c>/status</c>.</summary>
    protected bool HasStatusSubresource => Kind.Subresources.Contains("status");

    /// <summary>How <c>metadata.name</c> and <c>generateName</c> are checked; DNS-1123 subdomain unless overridden.</summary>
    private protected virtual NameValidator NameValidator => NameValidation.NameIsDnsSubdomain;

    public virtual void PrepareForCreate(JsonObject obj)
    {
        if (HasStatusSubresource)
        {
            obj.Remove("status");
        }
    }

    public virtual void PrepareForUpdate(JsonObject newObj, JsonObject oldObj)
    {
        if (HasStatusSubresource)
        {
            newObj["status"] = oldObj["status"]?.DeepClone();
            if (newObj["status"] is null)
            {
                newObj.Remove("status");
            }
        }
    }

    public virtual void Default(JsonObject obj)
    {
    }

    /// <summary>ObjectMeta validation (upstream ValidateObjectMeta with this kind's name rule and scope).</summary>
    public virtual IReadOnlyList<FieldError> Validate(JsonObject obj) =>
        ObjectMetaValidation.Validate(obj, Kind.Namespaced, NameValidator);

    /// <summary>ObjectMeta update rules, then the full <see cref="Validate"/> of the new object.</summary>
    public virtual IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = ObjectMetaValidation.ValidateUpdate(newObj, oldObj);
        errs.AddRange(Validate(newObj));
        return errs;
    }

    public virtual void PrepareForStatusUpdate(JsonObject newObj, JsonObject oldObj)
    {
        foreach (var (name, value) in oldObj)
        {
            if (name is not ("status" or "metadata"))
            {
                newObj[name] = value?.DeepClone();
            }
        }
        foreach (var name in newObj.Select(p => p.Key).ToList())
        {
            if (name is not ("status" or "metadata") && !oldObj.ContainsKey(name))
            {
                newObj.Remove(name);
            }
        }
    }

    /// <summary>ObjectMeta update rules only; kinds with status rules override and call the base.</summary>
    public virtual IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject newObj, JsonObject oldObj) =>
        ObjectMetaValidation.ValidateUpdate(newObj, oldObj);

    public virtual long? CheckGracefulDelete(JsonObject obj, long? requestedGracePeriodSeconds) => null;

    public virtual string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "metadata.name" => obj.GetName() ?? "",
        "metadata.namespace" => Kind.Namespaced ? obj.GetNamespace() ?? "" : null,
        _ => null,
    };
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

/// <summary>
/// The defaults every kind starts from: no status handling, no graceful delete, metadata-only field selectors.
/// Per-kind strategies derive from this and override what their upstream strategy.go overrides.
/// </summary>
public class ResourceStrategy(ResourceKind kind) : IResourceStrategy
{
    public ResourceKind Kind { get; } = kind;

    public virtual bool TracksGeneration => false;

    public virtual bool AllowCreateOnUpdate => false;

    /// <summary>True for kinds whose status is written only through <c>/status</c>.</summary>
    protected bool HasStatusSubresource => Kind.Subresources.Contains("status");

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

    public virtual IReadOnlyList<FieldError> Validate(JsonObject obj) => [];

    public virtual IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj) => Validate(newObj);

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

    public virtual IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject newObj, JsonObject oldObj) => [];

    public virtual long? CheckGracefulDelete(JsonObject obj, long? requestedGracePeriodSeconds) => null;

    public virtual string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "metadata.name" => obj.GetName() ?? "",
        "metadata.namespace" => Kind.Namespaced ? obj.GetNamespace() ?? "" : null,
        _ => null,
    };
}

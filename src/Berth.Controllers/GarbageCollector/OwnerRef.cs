using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.GarbageCollector;

/// <summary>One entry of <c>metadata.ownerReferences</c>, as the dependency graph keeps it.</summary>
internal sealed record OwnerRef(string ApiVersion, string Kind, string Name, string Uid, bool BlockOwnerDeletion)
{
    public static IReadOnlyList<OwnerRef> Of(JsonObject obj) =>
        [.. (obj.GetArray("metadata", "ownerReferences") ?? []).OfType<JsonObject>()
            .Where(r => !string.IsNullOrEmpty(r.GetString("uid")))
            .Select(r => new OwnerRef(r.GetString("apiVersion") ?? "", r.GetString("kind") ?? "", r.GetString("name") ?? "",
                r.GetString("uid")!, r.GetBool("blockOwnerDeletion") == true))];

    /// <summary>The kind this reference names, or null when the API does not serve it.</summary>
    public ResourceKind? ResolveKind()
    {
        var slash = ApiVersion.IndexOf('/');
        var group = slash < 0 ? "" : ApiVersion[..slash];
        return KindRegistry.AllKinds.FirstOrDefault(k => k.Group == group && k.Kind == Kind);
    }
}

/// <summary>Finalizer and deletion-state checks of the garbage collector.</summary>
internal static class GcFinalizers
{
    public const string Orphan = "orphan";
    public const string ForegroundDeletion = "foregroundDeletion";

    public static bool IsBeingDeleted(JsonObject obj) => obj.GetString("metadata", "deletionTimestamp") is not null;

    public static bool Has(JsonObject obj, string finalizer) =>
        (obj.GetArray("metadata", "finalizers") ?? []).Any(f => f?.GetValue<string>() == finalizer);

    /// <summary>Being deleted in the foreground: waits for its blocking dependents to go.</summary>
    public static bool IsDeletingDependents(JsonObject obj) => IsBeingDeleted(obj) && Has(obj, ForegroundDeletion);

    /// <summary>Removes <paramref name="finalizer"/> from a mutable copy; returns whether it was there.</summary>
    public static bool Remove(JsonObject obj, string finalizer)
    {
        if (obj.GetArray("metadata", "finalizers") is not { } list || !Has(obj, finalizer))
        {
            return false;
        }
        var kept = list.Where(f => f?.GetValue<string>() != finalizer).Select(f => f!.DeepClone()).ToArray();
        if (kept.Length == 0)
        {
            obj.Metadata().Remove("finalizers");
        }
        else
        {
            obj.Metadata()["finalizers"] = new JsonArray(kept);
        }
        return true;
    }
}

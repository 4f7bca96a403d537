using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Util;

/// <summary>
/// Reading and building <c>metadata.ownerReferences</c> on objects in storage form.
/// Mirrors k8s.io/apimachinery pkg/apis/meta/v1/controller_ref.go (GetControllerOf, NewControllerRef).
/// </summary>
public static class OwnerReferences
{
    /// <summary>The owner references of <paramref name="obj"/> (read-only view of the cached JSON).</summary>
    public static IReadOnlyList<JsonObject> Of(JsonObject obj) =>
        [.. (obj.GetArray("metadata", "ownerReferences") ?? []).OfType<JsonObject>()];

    /// <summary>The reference with <c>controller: true</c>, or null.</summary>
    public static JsonObject? GetControllerOf(JsonObject obj) => Of(obj).FirstOrDefault(r => r.GetBool("controller") == true);

    /// <summary>The controller reference of <paramref name="owner"/> as a dependent carries it (blockOwnerDeletion set).</summary>
    public static JsonObject NewControllerRef(JsonObject owner) => new()
    {
        ["apiVersion"] = owner.GetString("apiVersion"),
        ["kind"] = owner.GetString("kind"),
        ["name"] = owner.GetName(),
        ["uid"] = owner.GetUid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>Removes the references to <paramref name="ownerUids"/> from a mutable copy; returns whether any was removed.</summary>
    public static bool Remove(JsonObject obj, IReadOnlyCollection<string> ownerUids)
    {
        if (obj.GetArray("metadata", "ownerReferences") is not { } refs)
        {
            return false;
        }
        var kept = refs.OfType<JsonObject>().Where(r => !ownerUids.Contains(r.GetString("uid") ?? "")).Select(r => r.DeepClone()).ToList();
        if (kept.Count == refs.Count)
        {
            return false;
        }
        if (kept.Count == 0)
        {
            obj.Metadata().Remove("ownerReferences");
        }
        else
        {
            obj.Metadata()["ownerReferences"] = new JsonArray([.. kept]);
        }
        return true;
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// The five status conditions a terminating namespace carries while its content goes (what <c>kubectl get ns -o yaml</c>
/// and <c>kubectl describe ns</c> show for a namespace stuck in Terminating). Types, reasons and message shapes follow
/// kubernetes/kubernetes pkg/controller/namespace/deletion (namespace condition updater); discovery and parsing never
/// fail here, so those two are always False.
/// </summary>
internal static class NamespaceDeletionConditions
{
    /// <summary>The conditions for <paramref name="left"/>, each with <paramref name="now"/> as its transition time.</summary>
    public static JsonArray Build(RemainingContent left, DateTimeOffset now)
    {
        var resources = string.Join(", ", left.Resources.Select(r => $"{r.Key} has {r.Value} resource instances"));
        var finalizers = string.Join(", ", left.Finalizers.Select(f => $"{f.Key} in {f.Value} resource instances"));
        return
        [
            Condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered", now),
            Condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed", now),
            Condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization", now),
            left.Resources.Count > 0
                ? Condition("NamespaceContentRemaining", true, "SomeResourcesRemain", "Some resources are remaining: " + resources, now)
                : Condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed", now),
            left.Finalizers.Count > 0
                ? Condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: " + finalizers, now)
                : Condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished", now),
        ];
    }

    /// <summary>
    /// <paramref name="wanted"/> with each condition's lastTransitionTime kept from <paramref name="current"/> when its
    /// status did not change; null when nothing but times would change (no write needed).
    /// </summary>
    public static JsonArray? Merge(JsonArray? current, JsonArray wanted)
    {
        var changed = false;
        foreach (var c in wanted.OfType<JsonObject>())
        {
            var old = current?.OfType<JsonObject>().FirstOrDefault(o => o.GetString("type") == c.GetString("type"));
            if (old is not null && old.GetString("status") == c.GetString("status"))
            {
                c["lastTransitionTime"] = old.GetString("lastTransitionTime");
            }
            changed |= old is null || old.GetString("status") != c.GetString("status") ||
                old.GetString("reason") != c.GetString("reason") || old.GetString("message") != c.GetString("message");
        }
        return changed ? wanted : null;
    }

    private static JsonObject Condition(string type, bool status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = status ? "True" : "False",
        ["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["reason"] = reason,
        ["message"] = message,
    };
}

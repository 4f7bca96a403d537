using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// Lets <c>kubectl apply --server-side</c> take over an object managed by client-side <c>kubectl apply</c> without
/// conflicts: for the manager <c>kubectl</c> only, conflicts on fields that the
/// <c>kubectl.kubernetes.io/last-applied-configuration</c> annotation sets to the value the object still has are
/// forgiven (the apply is then forced); any other conflict still fails the request, listing only the others. Pure.
/// Mirrors lastAppliedManager of k8s.io/apimachinery managedfields/internal.
/// </summary>
internal static class ClientSideApplyUpgrade
{
    private const string Manager = "kubectl";
    private const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The conflicts that remain; an empty list means the apply goes ahead as if forced.</summary>
    public static List<(ManagerEntry Owner, string Path)> Remaining(List<(ManagerEntry Owner, string Path)> conflicts, string manager,
        JsonObject live, Dictionary<string, JsonNode?> liveFields, ResourceKind kind, PatchSchema schema)
    {
        if (manager != Manager || LastApplied(live, kind) is not { } lastApplied)
        {
            return conflicts;
        }
        var allowed = FieldPaths.Collect(lastApplied, schema)
            .Where(p => liveFields.TryGetValue(p.Key, out var value) && JsonNode.DeepEquals(value, p.Value))
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
        var remaining = conflicts.Where(c => !allowed.Contains(c.Path)).ToList();
        return remaining;
    }

    /// <summary>The annotation's object, when it parses and names the kind's apiVersion; null otherwise.</summary>
    private static JsonObject? LastApplied(JsonObject live, ResourceKind kind)
    {
        if ((live["metadata"] as JsonObject)?["annotations"] is not JsonObject annotations ||
            annotations[Annotation] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text) is JsonObject obj && obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var apiVersion) &&
                apiVersion == kind.ApiVersion ? obj : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

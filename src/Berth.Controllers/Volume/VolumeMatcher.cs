using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.PersistentVolumes;
using Berth.Machinery.Selectors;
using k8s.Models;

namespace Berth.Controllers.Volume;

/// <summary>
/// Finds the volume a claim binds to: a volume pre-bound to the claim (its <c>claimRef</c> names the claim) wins;
/// otherwise the smallest available volume of the claim's class whose capacity covers the request, whose access
/// modes include the claim's, whose volume mode equals the claim's and whose labels match the claim's selector.
/// Volumes being deleted, bound elsewhere or pre-bound to another claim never match. Pure.
/// </summary>
/// <remarks>Mirrors pkg/controller/volume/persistentvolume (findMatchingVolume in index.go; checkVolumeSatisfyClaim).</remarks>
public static class VolumeMatcher
{
    public static JsonObject? FindMatchingVolume(JsonObject claim, IEnumerable<JsonObject> volumes)
    {
        var requested = Quantity(claim.GetPath("spec", "resources", "requests", "storage"));
        JsonObject? best = null;
        decimal bestSize = 0;
        foreach (var volume in volumes)
        {
            if (volume.GetString("metadata", "deletionTimestamp") is not null)
            {
                continue;
            }
            if (IsPreBoundTo(volume, claim))
            {
                return Satisfies(volume, claim, requested) ? volume : null;
            }
            if (volume.GetObject("spec", "claimRef") is not null || volume.GetString("status", "phase") is "Released" or "Failed")
            {
                continue;
            }
            if (claim.GetObject("spec", "selector") is { } selector && !SelectorMatches(selector, volume))
            {
                continue;
            }
            if (!Satisfies(volume, claim, requested))
            {
                continue;
            }
            var size = Capacity(volume);
            if (best is null || size < bestSize)
            {
                (best, bestSize) = (volume, size);
            }
        }
        return best;
    }

    /// <summary>Class, volume mode, access modes and capacity all fit the claim.</summary>
    public static bool Satisfies(JsonObject volume, JsonObject claim, decimal requested) =>
        StorageClassNames.Of(volume) == StorageClassNames.Of(claim)
        && (volume.GetString("spec", "volumeMode") ?? "Filesystem") == (claim.GetString("spec", "volumeMode") ?? "Filesystem")
        && VolumeAccessModes.Satisfies(volume.GetArray("spec", "accessModes"), claim.GetArray("spec", "accessModes"))
        && Capacity(volume) >= requested;

    /// <summary>The volume's <c>claimRef</c> names the claim (same namespace and name, and same UID when it has one).</summary>
    public static bool IsPreBoundTo(JsonObject volume, JsonObject claim) =>
        volume.GetObject("spec", "claimRef") is { } claimRef
        && claimRef.GetString("name") == claim.GetName() && claimRef.GetString("namespace") == claim.GetNamespace()
        && (claimRef.GetString("uid") is not { Length: > 0 } uid || uid == claim.GetUid());

    public static decimal Capacity(JsonObject volume) => Quantity(volume.GetPath("spec", "capacity", "storage"));

    /// <summary>A quantity's value; 0 when absent or unparsable (validation keeps those out of the store).</summary>
    public static decimal Quantity(JsonNode? node)
    {
        var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
        try
        {
            return text is null ? 0 : new ResourceQuantity(text).ToDecimal();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return 0;
        }
    }

    private static bool SelectorMatches(JsonObject selector, JsonObject volume)
    {
        try
        {
            return LabelSelector.FromLabelSelectorJson(selector).Matches(volume.GetLabels());
        }
        catch (Machinery.Errors.ApiException)
        {
            return false;
        }
    }
}

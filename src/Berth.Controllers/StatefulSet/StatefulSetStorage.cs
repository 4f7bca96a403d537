using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// The PersistentVolumeClaims of a StatefulSet's pods: one per <c>volumeClaimTemplates</c> entry, named
/// <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>, labelled with the template's labels plus the set's selector
/// <c>matchLabels</c>; the pod gets a <c>persistentVolumeClaim</c> volume named after each template (replacing a
/// template volume of the same name) ahead of its other volumes; and the claims' owner references follow
/// <c>persistentVolumeClaimRetentionPolicy</c>. Pure functions over storage-form JSON; inputs are not mutated except
/// where a method says so.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go (getPersistentVolumeClaimName,
/// getPersistentVolumeClaims, updateStorage, storageMatches, updateClaimOwnerRefForSetAndPod).
/// </remarks>
public static class StatefulSetStorage
{
    /// <summary><c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>.</summary>
    public static string ClaimName(JsonObject set, string templateName, int ordinal) =>
        templateName + "-" + set.GetName() + "-" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>The claims of <paramref name="ordinal"/>'s pod, keyed by template name, in template order.</summary>
    public static List<(string Template, JsonObject Claim)> GetPersistentVolumeClaims(JsonObject set, int ordinal)
    {
        var claims = new List<(string, JsonObject)>();
        foreach (var template in (set.GetArray("spec", "volumeClaimTemplates") ?? []).OfType<JsonObject>())
        {
            var claim = (JsonObject)template.DeepClone();
            var templateName = template.GetName() ?? "";
            var meta = claim.Metadata();
            meta["name"] = ClaimName(set, templateName, ordinal);
            meta["namespace"] = set.GetNamespace();
            if (meta["labels"] is not JsonObject labels)
            {
                meta["labels"] = labels = [];
            }
            foreach (var (key, value) in set.GetStringMap("spec", "selector", "matchLabels"))
            {
                labels[key] = value;
            }
            claim.Remove("status");
            claim["apiVersion"] = "v1";
            claim["kind"] = "PersistentVolumeClaim";
            claims.Add((templateName, claim));
        }
        return claims;
    }

    /// <summary>Gives <paramref name="pod"/> (mutated) a claim volume per template, ahead of its other volumes.</summary>
    public static void UpdateStorage(JsonObject set, JsonObject pod, int ordinal)
    {
        var claims = GetPersistentVolumeClaims(set, ordinal);
        if (claims.Count == 0)
        {
            return;
        }
        var names = claims.Select(c => c.Template).ToHashSet(StringComparer.Ordinal);
        var volumes = new JsonArray();
        foreach (var (template, claim) in claims)
        {
            volumes.Add(new JsonObject
            {
                ["name"] = template,
                ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim.GetName() },
            });
        }
        foreach (var volume in (pod.GetArray("spec", "volumes") ?? []).OfType<JsonObject>())
        {
            if (!names.Contains(volume.GetString("name") ?? ""))
            {
                volumes.Add(volume.DeepClone());
            }
        }
        pod.SetPath(volumes, "spec", "volumes");
    }

    /// <summary>
    /// Sets the owner references <paramref name="claim"/> (mutated) should carry: the set when claims go with the
    /// set (<c>whenDeleted: Delete</c>) and the pod is in range; the pod when claims go on scale-down
    /// (<c>whenScaled: Delete</c>) and the pod is out of range. Returns whether anything changed.
    /// </summary>
    public static bool UpdateClaimOwnerRefs(JsonObject claim, JsonObject set, JsonObject pod, bool podInRange)
    {
        var whenDeleted = set.GetString("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") ?? "Retain";
        var whenScaled = set.GetString("spec", "persistentVolumeClaimRetentionPolicy", "whenScaled") ?? "Retain";
        var wantSet = whenDeleted == "Delete" && (podInRange || whenScaled != "Delete");
        var wantPod = whenScaled == "Delete" && !podInRange;
        var changed = SetOwnerRef(claim, set, "apps/v1", "StatefulSet", wantSet);
        return SetOwnerRef(claim, pod, "v1", "Pod", wantPod && pod.GetUid() is not null) | changed;
    }

    private static bool SetOwnerRef(JsonObject target, JsonObject owner, string apiVersion, string kind, bool present)
    {
        var meta = target.Metadata();
        var refs = meta["ownerReferences"] as JsonArray;
        var existing = refs?.OfType<JsonObject>().FirstOrDefault(r => r.GetString("uid") == owner.GetUid());
        if (present == existing is not null)
        {
            return false;
        }
        if (!present)
        {
            refs!.Remove(existing);
            return true;
        }
        if (refs is null)
        {
            meta["ownerReferences"] = refs = [];
        }
        refs.Add(new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = owner.GetName(), ["uid"] = owner.GetUid() });
        return true;
    }
}

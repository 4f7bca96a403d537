using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.DaemonSet;

/// <summary>
/// The DaemonSet's side of ControllerRevisions: a revision's <c>data</c> is a strategic merge patch that replaces
/// <c>spec.template</c> (so <c>kubectl rollout undo ds</c> can send it back verbatim and <c>rollout history
/// --revision</c> can apply it), the revision carries the template labels, the DaemonSet's annotations (for the
/// change-cause column) and the <c>controller-revision-hash</c> label its pods get. Pure except
/// <see cref="StoreCollisionCountAsync"/>.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/daemon/update.go (getPatch, Match, snapshot).</remarks>
public static class DaemonSetRevisions
{
    /// <summary><c>{"spec":{"template":{…,"$patch":"replace"}}}</c> of the DaemonSet's current template.</summary>
    public static JsonObject GetPatch(JsonObject ds)
    {
        var template = ds.GetObject("spec", "template")?.DeepClone().AsObject() ?? [];
        template["$patch"] = "replace";
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = template } };
    }

    /// <summary>Whether <paramref name="revision"/> stores <paramref name="patch"/> (compared in canonical form, so a template that went through kubectl compares equal).</summary>
    public static bool Match(JsonObject patch, JsonObject revision) =>
        RevisionComparison.EqualRevision(new JsonObject { ["data"] = patch.DeepClone() }, revision);

    /// <summary>A new, unsaved revision of <paramref name="ds"/> holding <paramref name="data"/>, its hash label set for <paramref name="collisionCount"/>.</summary>
    public static JsonObject NewRevision(JsonObject ds, JsonObject data, long revision, long collisionCount)
    {
        var templateLabels = ds.GetObject("spec", "template") is { } template ? template.GetLabels() : new Dictionary<string, string>();
        var cr = RevisionHistory.NewControllerRevision(ds, templateLabels, data, revision, collisionCount);
        cr.SetPath(RevisionHistory.HashControllerRevision(cr, collisionCount), "metadata", "labels", DaemonSetUtil.ControllerRevisionHashLabel);
        if (ds.GetObject("metadata", "annotations") is { Count: > 0 } annotations)
        {
            cr.Metadata()["annotations"] = annotations.DeepClone();
        }
        return cr;
    }

    /// <summary>Writes status.collisionCount on the live DaemonSet (read-modify-write; other status fields untouched).</summary>
    public static async Task StoreCollisionCountAsync(IApiClient client, JsonObject ds, long collisionCount, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var live = await client.GetAsync(KindRegistry.DaemonSets, ds.GetNamespace(), ds.GetName()!, cancellationToken).ConfigureAwait(false);
            if (live.GetUid() != ds.GetUid())
            {
                return;
            }
            live.SetPath(collisionCount, "status", "collisionCount");
            try
            {
                await client.UpdateAsync(KindRegistry.DaemonSets, ds.GetNamespace(), live, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 5)
            {
                // Written meanwhile: read again.
            }
        }
    }
}

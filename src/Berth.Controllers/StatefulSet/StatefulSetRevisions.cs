using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// The ControllerRevisions of a StatefulSet. A revision's <c>data</c> is the strategic merge patch
/// <c>{"spec":{"template":{…,"$patch":"replace"}}}</c>, which <c>kubectl rollout undo</c> sends back verbatim and
/// <c>kubectl rollout history --revision</c> applies to show a template. Pure; never mutates its inputs.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go (getPatch, newRevision,
/// nextRevision, ApplyRevision).
/// </remarks>
public static class StatefulSetRevisions
{
    private const string PatchDirective = "$patch";

    /// <summary>The revision data of the set's current template.</summary>
    public static JsonObject GetPatch(JsonObject set)
    {
        var template = set.GetObject("spec", "template")?.DeepClone().AsObject() ?? [];
        template[PatchDirective] = "replace";
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = template } };
    }

    /// <summary>
    /// A new revision numbered <paramref name="revision"/> of the set's template, named by hash with
    /// <paramref name="collisionCount"/>, carrying the template labels and the set's annotations (so that
    /// <c>kubernetes.io/change-cause</c> shows in <c>rollout history</c>).
    /// </summary>
    public static JsonObject NewRevision(JsonObject set, long revision, long collisionCount)
    {
        var labels = set.GetStringMap("spec", "template", "metadata", "labels");
        var cr = RevisionHistory.NewControllerRevision(set, labels, GetPatch(set), revision, collisionCount);
        var annotations = set.GetObject("metadata", "annotations");
        if (annotations is { Count: > 0 })
        {
            cr.Metadata()["annotations"] = annotations.DeepClone();
        }
        return cr;
    }

    /// <summary>One more than the newest revision of a list sorted oldest first; 1 for an empty history.</summary>
    public static long NextRevision(IReadOnlyList<JsonObject> sortedRevisions) =>
        sortedRevisions.Count == 0 ? 1 : RevisionHistory.RevisionOf(sortedRevisions[^1]) + 1;

    /// <summary>A copy of <paramref name="set"/> whose template is the one recorded in <paramref name="revision"/>.</summary>
    public static JsonObject ApplyRevision(JsonObject set, JsonObject revision)
    {
        var clone = set.DeepClone().AsObject();
        if (revision.GetObject("data", "spec", "template")?.DeepClone() is JsonObject template)
        {
            template.Remove(PatchDirective);
            clone.SetPath(template, "spec", "template");
        }
        return clone;
    }
}

using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.ReplicaSet;

/// <summary>
/// Builds the pod a controller creates from its template: labels, annotations and finalizers of the template,
/// <c>generateName</c> <c>&lt;owner&gt;-</c> (the API server appends 5 characters), the controller reference, and
/// the template spec. Mirrors kubernetes/kubernetes pkg/controller/controller_utils.go (GetPodFromTemplate, getPodsPrefix).
/// </summary>
public static class PodTemplates
{
    public static JsonObject GetPodFromTemplate(JsonObject owner)
    {
        var template = owner.GetObject("spec", "template") ?? [];
        var meta = new JsonObject { ["generateName"] = owner.GetName() + "-", ["namespace"] = owner.GetNamespace() };
        foreach (var field in (string[])["labels", "annotations", "finalizers"])
        {
            if (template.GetPath("metadata", field) is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }
        meta["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(owner));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }
}

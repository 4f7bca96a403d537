using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Writes through <c>pods/{name}/ephemeralcontainers</c>: only <c>spec.ephemeralContainers</c> may change, every
/// other field of the request is replaced by the stored pod's; ephemeral containers may be added but an existing one
/// may be neither changed nor removed, and the new list must be valid. Stateless and thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/strategy.go (podEphemeralContainersStrategy,
/// dropNonEphemeralContainerUpdates) and pkg/apis/core/validation (ValidatePodEphemeralContainersUpdate).
/// </summary>
internal static class PodEphemeralContainersStrategy
{
    private const string ListPath = "spec.ephemeralContainers";

    /// <summary>
    /// The object to store: a copy of <paramref name="oldPod"/> with the requested ephemeral containers (the
    /// registry has checked the request's resourceVersion as a precondition). Neither argument is mutated.
    /// </summary>
    public static JsonObject PrepareForUpdate(JsonObject newPod, JsonObject oldPod)
    {
        var pod = oldPod.DeepClone().AsObject();
        var spec = JsonFields.Child(pod, "spec");
        if (newPod.GetPath("spec", "ephemeralContainers") is JsonArray { Count: > 0 } requested)
        {
            spec["ephemeralContainers"] = requested.DeepClone();
        }
        else
        {
            spec.Remove("ephemeralContainers");
        }
        return pod;
    }

    /// <summary>Both pods defaulted; returns upstream's errors (422 field paths under <c>spec.ephemeralContainers</c>).</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(JsonObject newPod, JsonObject oldPod)
    {
        var errs = ObjectMetaValidation.ValidateUpdate(newPod, oldPod);
        if (oldPod.GetString("metadata", "annotations", "kubernetes.io/config.mirror") is not null)
        {
            return [FieldError.Forbidden("", "static pods do not support ephemeral containers")];
        }
        EphemeralContainerValidation.Validate(newPod["spec"] as JsonObject ?? [], "spec", errs);
        var requested = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (_, c) in JsonFields.Objects(newPod.GetArray("spec", "ephemeralContainers")))
        {
            requested.TryAdd(JsonFields.AsString(c["name"]) ?? "", c);
        }
        foreach (var (_, old) in JsonFields.Objects(oldPod.GetArray("spec", "ephemeralContainers")))
        {
            var name = JsonFields.AsString(old["name"]) ?? "";
            if (!requested.TryGetValue(name, out var current))
            {
                errs.Add(FieldError.Forbidden(ListPath, $"existing ephemeral containers \"{name}\" may not be removed\n"));
            }
            else if (!JsonSemantics.Equal(old, current))
            {
                errs.Add(FieldError.Forbidden(ListPath,
                    $"existing ephemeral containers \"{name}\" may not be changed\n" + JsonDiff.Describe(old, current, name, maxLines: 10)));
            }
        }
        return errs;
    }
}

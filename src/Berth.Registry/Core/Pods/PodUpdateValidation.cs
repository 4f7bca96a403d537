using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// What a pod update may change in <c>spec</c>: container images, a shorter activeDeadlineSeconds, added
/// tolerations (existing ones only their tolerationSeconds), and a negative grace period repaired to 1. Anything
/// else is <c>spec: Forbidden: pod updates may not change fields other than …</c>. Both objects must already be
/// defaulted. Mirrors kubernetes/kubernetes pkg/apis/core/validation (ValidatePodUpdate,
/// validateOnlyAddedTolerations).
/// </summary>
internal static class PodUpdateValidation
{
    public const string ForbiddenUpdateMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`," +
        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)," +
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static void Validate(JsonObject newPod, JsonObject oldPod, List<FieldError> errs)
    {
        var spec = newPod["spec"] as JsonObject ?? [];
        var oldSpec = oldPod["spec"] as JsonObject ?? [];
        foreach (var list in (string[])["containers", "initContainers"])
        {
            if ((spec[list] as JsonArray)?.Count != (oldSpec[list] as JsonArray)?.Count &&
                !(JsonSemantics.IsZero(spec[list]) && JsonSemantics.IsZero(oldSpec[list])))
            {
                errs.Add(FieldError.Forbidden("spec." + list, "pod updates may not add or remove containers"));
                return;
            }
        }
        if (!ValidateActiveDeadline(spec, oldSpec, errs))
        {
            return;
        }
        ValidateOnlyAddedTolerations(spec["tolerations"] as JsonArray, oldSpec["tolerations"] as JsonArray, errs);
        var munged = Munge(spec, oldSpec);
        if (!JsonSemantics.Equal(munged, oldSpec))
        {
            var diff = JsonDiff.Describe(oldSpec, munged, "spec", maxLines: 10);
            errs.Add(FieldError.Forbidden("spec", ForbiddenUpdateMessage + "\n" + diff));
        }
    }

    /// <summary>The new spec with every allowed change reverted to the old value.</summary>
    private static JsonObject Munge(JsonObject spec, JsonObject oldSpec)
    {
        var munged = spec.DeepClone().AsObject();
        foreach (var list in (string[])["containers", "initContainers"])
        {
            foreach (var (i, c) in JsonFields.Objects(munged[list] as JsonArray))
            {
                c["image"] = (oldSpec[list] as JsonArray)?[i]?["image"]?.DeepClone();
            }
        }
        munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]?.DeepClone();
        munged["tolerations"] = oldSpec["tolerations"]?.DeepClone();
        if (JsonFields.AsLong(oldSpec["terminationGracePeriodSeconds"]) < 0 && JsonFields.AsLong(spec["terminationGracePeriodSeconds"]) == 1)
        {
            munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]?.DeepClone();
        }
        return munged;
    }

    /// <summary>Returns false when validation must stop (upstream returns early on these).</summary>
    private static bool ValidateActiveDeadline(JsonObject spec, JsonObject oldSpec, List<FieldError> errs)
    {
        const string path = "spec.activeDeadlineSeconds";
        var newValue = JsonFields.AsLong(spec["activeDeadlineSeconds"]);
        var oldValue = JsonFields.AsLong(oldSpec["activeDeadlineSeconds"]);
        if (newValue is { } n)
        {
            if (n is < 0 or > int.MaxValue)
            {
                errs.Add(FieldError.Invalid(path, n, ValidationMessages.InclusiveRangeError(0, int.MaxValue)));
                return false;
            }
            if (oldValue is { } o && o < n)
            {
                errs.Add(FieldError.Invalid(path, n, "must be less than or equal to previous value"));
                return false;
            }
        }
        else if (oldValue is not null)
        {
            errs.Add(FieldError.Invalid(path, null, "must not update from a positive integer to nil value"));
        }
        return true;
    }

    private static void ValidateOnlyAddedTolerations(JsonArray? tolerations, JsonArray? oldTolerations, List<FieldError> errs)
    {
        foreach (var (_, old) in JsonFields.Objects(oldTolerations))
        {
            var found = JsonFields.Objects(tolerations).Any(t =>
            {
                var candidate = old.DeepClone().AsObject();
                candidate["tolerationSeconds"] = t.Item["tolerationSeconds"]?.DeepClone();
                return JsonSemantics.Equal(candidate, t.Item);
            });
            if (!found)
            {
                errs.Add(FieldError.Forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }
    }
}

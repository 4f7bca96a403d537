using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

/// <summary>
/// The optimistic-concurrency checks of writes, with upstream's messages.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go (precondition checks,
/// ValidateDeleteOptions) and pkg/storage/interfaces.go (Preconditions.Check).
/// </summary>
internal static class Preconditions
{
    private static readonly string[] SupportedPolicies =
        [Finalizers.PolicyForeground, Finalizers.PolicyBackground, Finalizers.PolicyOrphan, "nil"];

    /// <summary>Throws 422 Invalid for a propagationPolicy that is not Foreground, Background or Orphan.</summary>
    public static void ValidateDeleteOptions(DeleteOptions options)
    {
        if (options.PropagationPolicy is { } policy &&
            policy is not (Finalizers.PolicyForeground or Finalizers.PolicyBackground or Finalizers.PolicyOrphan))
        {
            var kind = new ResourceKind("meta.k8s.io", "v1", "DeleteOptions", "deleteoptions", "deleteoptions", false, [], [], []);
            throw ApiErrors.Invalid(kind, "", [FieldError.NotSupported("propagationPolicy", policy, SupportedPolicies)]);
        }
    }

    /// <summary>
    /// Checks DeleteOptions.preconditions against the stored object; 409 Conflict with upstream's text otherwise.
    /// Upstream names the Kind (not the resource) in these messages: <c>Operation cannot be fulfilled on Pod "x": …</c>.
    /// </summary>
    public static void CheckDelete(ResourceKind kind, JsonObject stored, DeleteOptions options)
    {
        var byKind = kind with { Resource = kind.Kind };
        var name = stored.GetName() ?? "";
        if (options.PreconditionUid is { } uid && uid != (stored.GetUid() ?? ""))
        {
            throw ApiErrors.Conflict(byKind, name,
                $"the UID in the precondition ({uid}) does not match the UID in record ({stored.GetUid()}). " +
                "The object might have been deleted and then recreated");
        }
        if (options.PreconditionResourceVersion is { } rv && rv != (stored.GetResourceVersion() ?? ""))
        {
            throw ApiErrors.Conflict(byKind, name,
                $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record " +
                $"({stored.GetResourceVersion()}). The object might have been modified");
        }
    }

    /// <summary>An update carrying <c>metadata.resourceVersion</c> must match the stored one (409 Conflict).</summary>
    public static void CheckUpdate(ResourceKind kind, string name, string? requestedResourceVersion, JsonObject stored)
    {
        if (!string.IsNullOrEmpty(requestedResourceVersion) && requestedResourceVersion != stored.GetResourceVersion())
        {
            throw ApiErrors.Conflict(kind, name);
        }
    }
}

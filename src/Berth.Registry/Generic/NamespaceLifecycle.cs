using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Storage;

namespace Berth.Registry.Generic;

/// <summary>
/// The namespace checks on create: the namespace must exist (404 <c>namespaces "x" not found</c>) and must not be
/// terminating (403). Deleting the system namespaces is refused.
/// Mirrors kubernetes/kubernetes plugin/pkg/admission/namespace/lifecycle/admission.go.
/// </summary>
/// <remarks>Reads the store directly (no cache); thread-safe.</remarks>
internal sealed class NamespaceLifecycle(IResourceStore store)
{
    /// <summary>Namespaces that may never be deleted (upstream's immortal namespaces).</summary>
    public static readonly IReadOnlySet<string> Immortal = new HashSet<string>(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    /// <summary>Throws unless objects of <paramref name="kind"/> may be created in <paramref name="ns"/> right now.</summary>
    public async Task AdmitCreateAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(KindRegistry.Namespaces.Key(null, ns), cancellationToken).ConfigureAwait(false)
            ?? throw ApiErrors.NotFound(KindRegistry.Namespaces, ns);
        var nsObj = stored.ToJsonObject();
        if (nsObj.GetDeletionTimestamp() is not null ||
            Machinery.Serialization.JsonObjectExtensions.GetString(nsObj, "status", "phase") == "Terminating")
        {
            throw ApiErrors.Forbidden(
                $"{kind.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    /// <summary>Throws 403 for <c>default</c>, <c>kube-system</c> and <c>kube-public</c>.</summary>
    public static void AdmitDelete(string name)
    {
        if (Immortal.Contains(name))
        {
            throw ApiErrors.Forbidden($"namespaces \"{name}\" is forbidden: this namespace may not be deleted");
        }
    }
}

using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// The namespace-specific half of DELETE. The first delete only marks the namespace (deletionTimestamp, phase
    /// Terminating, propagationPolicy finalizers) so the namespace controller can empty it; later deletes return it
    /// unchanged while <c>spec.finalizers</c> remain. Returns null when the generic delete should remove it now.
    /// The last <c>spec.finalizers</c> entry removed through <c>finalize</c> deletes it during that update
    /// (<see cref="Finalizers.ShouldDeleteDuringUpdate"/>).
    /// Mirrors kubernetes/kubernetes pkg/registry/core/namespace/storage/storage.go (REST.Delete).
    /// </summary>
    private async Task<DeleteResult?> BeginNamespaceDeletionAsync(string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        NamespaceLifecycle.AdmitDelete(name);
        var current = await GetAsync(null, name, cancellationToken).ConfigureAwait(false);
        Preconditions.CheckDelete(Kind, current, options);
        if (current.GetDeletionTimestamp() is null)
        {
            var outcome = await GuaranteedUpdateAsync(Key(null, name), name, existing =>
            {
                Preconditions.CheckDelete(Kind, existing, options);
                if (existing.GetDeletionTimestamp() is null)
                {
                    existing.SetDeletionTimestamp(Now());
                }
                existing.SetPath("Terminating", "status", "phase");
                var (changed, finalizers) = Finalizers.ForGarbageCollection(existing, options.PropagationPolicy);
                if (changed)
                {
                    existing.SetFinalizers(finalizers);
                }
                return existing;
            }, options.DryRun, allowDeleteDuringUpdate: false, cancellationToken).ConfigureAwait(false);
            return new DeleteResult(outcome.Object, false);
        }
        return current.GetArray("spec", "finalizers") is { Count: > 0 } ? new DeleteResult(current, false) : null;
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Storage;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// DELETE with upstream's graceful-deletion and finalizer rules (kubernetes-termination.md §1.2–1.3):
    /// preconditions (409), a repeated delete that does not shorten the grace period is a no-op returning the current
    /// object, graceful kinds are marked (deletionTimestamp/deletionGracePeriodSeconds) and removed at once only with
    /// grace 0, objects with finalizers are only marked. The whole operation restarts if a concurrent write wins.
    /// Mirrors store.go Delete and updateForGracefulDeletionAndFinalizers.
    /// </summary>
    public async Task<DeleteResult> DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        Preconditions.ValidateDeleteOptions(options);
        if (Kind == Machinery.Kinds.KindRegistry.Namespaces &&
            await BeginNamespaceDeletionAsync(name, options, cancellationToken).ConfigureAwait(false) is { } pending)
        {
            return pending;
        }
        var key = Key(ns, name);
        await ReadyHooksAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < _options.MaxUpdateAttempts; attempt++)
        {
            var result = await TryDeleteAsync(key, name, options, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }
        }
        throw ApiErrors.Conflict(Kind, name);
    }

    /// <summary>One attempt of <see cref="DeleteAsync"/>; null when a concurrent write changed the object first.</summary>
    private async Task<DeleteResult?> TryDeleteAsync(string key, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(Kind, name);
        var current = stored.ToJsonObject();
        Preconditions.CheckDelete(Kind, current, options);
        var decision = GracefulDelete.BeforeDelete(Strategy, current.DeepClone().AsObject(), options.GracePeriodSeconds, Now());
        if (decision.Pending)
        {
            return new DeleteResult(current, false);
        }
        var (finalizersChange, _) = Finalizers.ForGarbageCollection(current, options.PropagationPolicy);
        var last = current;
        var revision = stored.Revision;
        var ignoreNotFound = false;
        if (decision.Graceful || current.GetFinalizers().Count > 0 || finalizersChange)
        {
            var marked = await MarkForDeletionAsync(key, name, options, cancellationToken).ConfigureAwait(false);
            if (!marked.DeleteNow)
            {
                return new DeleteResult(marked.Object, false);
            }
            (last, revision, ignoreNotFound) = (marked.Object, marked.Revision, marked.Written);
        }
        if (options.DryRun)
        {
            return new DeleteResult(last, true);
        }
        try
        {
            var deleted = await _store.DeleteAsync(key, revision, cancellationToken).ConfigureAwait(false);
            var gone = deleted.ToJsonObject();
            Hooks?.AfterDelete(gone);
            return new DeleteResult(gone, true);
        }
        catch (StoreConflictException)
        {
            return null;
        }
        catch (StoreNotFoundException) when (ignoreNotFound)
        {
            // Graceless delete of a graceful kind races with other deleters (kubernetes/kubernetes#19403).
            return new DeleteResult(last, true);
        }
        catch (StoreNotFoundException)
        {
            throw ApiErrors.NotFound(Kind, name);
        }
    }

    /// <summary>The outcome of the marking update: keep the object, or go on to remove it (at <see cref="Revision"/>).</summary>
    private readonly record struct MarkOutcome(JsonObject Object, long Revision, bool DeleteNow, bool Written);

    /// <summary>
    /// The single write before removal or instead of it: re-runs the grace arithmetic on the latest object, applies the
    /// propagationPolicy finalizers, and marks objects that keep finalizers.
    /// </summary>
    private async Task<MarkOutcome> MarkForDeletionAsync(string key, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var alreadyDeleting = false;
        var deleteNow = false;
        var pendingFinalizers = false;
        long lastGrace = 0;
        var outcome = await GuaranteedUpdateAsync(key, name, existing =>
        {
            (alreadyDeleting, deleteNow, pendingFinalizers, lastGrace) = (false, false, false, 0);
            Preconditions.CheckDelete(Kind, existing, options);
            var decision = GracefulDelete.BeforeDelete(Strategy, existing, options.GracePeriodSeconds, Now());
            if (decision.Pending)
            {
                alreadyDeleting = true;
                return null;
            }
            var (changed, finalizers) = Finalizers.ForGarbageCollection(existing, options.PropagationPolicy);
            if (changed)
            {
                existing.SetFinalizers(finalizers);
            }
            pendingFinalizers = finalizers.Count > 0;
            if (!decision.Graceful)
            {
                if (!pendingFinalizers)
                {
                    deleteNow = true;
                    return null;
                }
                Finalizers.MarkAsDeleting(existing, Now());
                return existing;
            }
            lastGrace = decision.GracePeriodSeconds ?? 0;
            return existing;
        }, options.DryRun, allowDeleteDuringUpdate: false, cancellationToken).ConfigureAwait(false);
        if (alreadyDeleting || pendingFinalizers || (!deleteNow && lastGrace > 0))
        {
            return new MarkOutcome(outcome.Object, outcome.Revision, false, outcome.Written);
        }
        return new MarkOutcome(outcome.Object, outcome.Revision, true, !deleteNow);
    }
}

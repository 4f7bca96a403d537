using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Storage;

namespace Berth.Registry.Generic;

/// <summary>The result of <see cref="ResourceRegistry.GuaranteedUpdateAsync"/>.</summary>
/// <param name="Object">The written object; the current one when nothing was written; the last state when deleted.</param>
/// <param name="Revision">The store revision of <paramref name="Object"/>.</param>
/// <param name="Written">False for a no-op (identical object) or when the transform declined.</param>
/// <param name="Deleted">True when the update removed the last finalizer and so deleted the object.</param>
internal readonly record struct UpdateOutcome(JsonObject Object, long Revision, bool Written, bool Deleted);

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// Read-modify-write of one key. <paramref name="tryUpdate"/> gets a private copy of the current object and returns
    /// the desired object, or null to stop without writing; it may throw <see cref="ApiException"/> (preconditions,
    /// validation), which ends the loop. It runs again on the newest copy after every revision conflict.
    /// A desired object equal to the current one is not written (no resourceVersion bump). With
    /// <paramref name="allowDeleteDuringUpdate"/>, an update that leaves a deleted object without finalizers deletes it.
    /// Mirrors storage.Interface.GuaranteedUpdate and the update half of store.go (Update, ShouldDeleteDuringUpdate).
    /// </summary>
    internal async Task<UpdateOutcome> GuaranteedUpdateAsync(string key, string name, Func<JsonObject, JsonObject?> tryUpdate,
        bool dryRun, bool allowDeleteDuringUpdate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < _options.MaxUpdateAttempts; attempt++)
        {
            var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(Kind, name);
            var current = stored.ToJsonObject();
            var desired = tryUpdate(current.DeepClone().AsObject());
            if (desired is null || JsonNode.DeepEquals(desired, current))
            {
                return new UpdateOutcome(current, stored.Revision, false, false);
            }
            var outcome = allowDeleteDuringUpdate && Finalizers.ShouldDeleteDuringUpdate(Kind, desired, current)
                ? await TryDeleteDuringUpdateAsync(key, stored.Revision, desired, dryRun, cancellationToken).ConfigureAwait(false)
                : await TryWriteAsync(key, stored.Revision, desired, dryRun, cancellationToken).ConfigureAwait(false);
            if (outcome is not null)
            {
                return outcome.Value;
            }
        }
        throw ApiErrors.Conflict(Kind, name);
    }

    /// <summary>Writes <paramref name="desired"/> if the key is still at <paramref name="revision"/>; null on a conflict.</summary>
    private async Task<UpdateOutcome?> TryWriteAsync(string key, long revision, JsonObject desired, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return new UpdateOutcome(desired, revision, false, false);
        }
        try
        {
            var written = await _store.UpdateAsync(key, revision, desired, cancellationToken).ConfigureAwait(false);
            desired.SetResourceVersion(Rv(written.Revision));
            return new UpdateOutcome(desired, written.Revision, true, false);
        }
        catch (StoreConflictException)
        {
            return null;
        }
        catch (StoreNotFoundException)
        {
            return null;
        }
    }

    private async Task<UpdateOutcome?> TryDeleteDuringUpdateAsync(string key, long revision, JsonObject desired, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return new UpdateOutcome(desired, revision, false, true);
        }
        try
        {
            var deleted = await _store.DeleteAsync(key, revision, cancellationToken).ConfigureAwait(false);
            var last = deleted.ToJsonObject();
            return new UpdateOutcome(last, deleted.Revision, true, true);
        }
        catch (StoreConflictException)
        {
            return null;
        }
        catch (StoreNotFoundException)
        {
            // Someone else removed the last finalizer first; deletion is what both wanted.
            return new UpdateOutcome(desired, revision, false, true);
        }
    }
}

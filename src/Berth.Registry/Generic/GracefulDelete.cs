using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>The outcome of <see cref="GracefulDelete.BeforeDelete"/>.</summary>
/// <param name="Graceful">The object was (re)marked for graceful deletion and must be written.</param>
/// <param name="Pending">A graceful deletion is already under way and this request changes nothing (HTTP 200, current object).</param>
/// <param name="GracePeriodSeconds">The grace period now in force, when graceful or pending.</param>
internal readonly record struct BeforeDeleteResult(bool Graceful, bool Pending, long? GracePeriodSeconds);

/// <summary>
/// The grace-period arithmetic every graceful kind shares (kubernetes-termination.md §1.2).
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go (BeforeDelete, v1.33).
/// </summary>
/// <remarks>Pure apart from mutating the metadata of the object it is given; thread-safe.</remarks>
internal static class GracefulDelete
{
    /// <summary>
    /// Decides how a DELETE treats <paramref name="obj"/> and sets <c>deletionTimestamp</c>,
    /// <c>deletionGracePeriodSeconds</c> and <c>generation</c> on it when the deletion is graceful.
    /// Called once to decide, then again inside the retrying update on the latest stored copy.
    /// Preconditions and option validation happen before this (see <see cref="Preconditions"/>).
    /// </summary>
    /// <param name="strategy">Its <see cref="IResourceStrategy.CheckGracefulDelete"/> returning null means the kind is deleted at once.</param>
    /// <param name="obj">A private copy of the stored object; mutated when the result is graceful.</param>
    /// <param name="requestedGrace">DeleteOptions.gracePeriodSeconds (null when absent).</param>
    /// <param name="now">The request time.</param>
    public static BeforeDeleteResult BeforeDelete(IResourceStrategy strategy, JsonObject obj, long? requestedGrace, DateTimeOffset now)
    {
        if (requestedGrace < 0)
        {
            requestedGrace = 1;
        }
        var stored = obj.GetDeletionGracePeriodSeconds();
        if (stored < 0)
        {
            stored = 1;
            obj.SetDeletionGracePeriodSeconds(1);
        }
        var resolved = strategy.CheckGracefulDelete(obj, requestedGrace);
        if (resolved is null)
        {
            return default;
        }
        var deletionTimestamp = obj.GetDeletionTimestamp();
        if (deletionTimestamp is not null)
        {
            return Shorten(obj, deletionTimestamp.Value, stored, requestedGrace, now);
        }
        var grace = resolved.Value < 0 ? 1 : resolved.Value;
        obj.SetDeletionTimestamp(now.AddSeconds(grace));
        obj.SetDeletionGracePeriodSeconds(grace);
        var generation = obj.GetGeneration();
        if (generation > 0)
        {
            obj.SetGeneration(generation + 1);
        }
        return new BeforeDeleteResult(true, false, grace);
    }

    /// <summary>A repeated DELETE: only a shorter grace period changes anything.</summary>
    private static BeforeDeleteResult Shorten(JsonObject obj, DateTimeOffset deletionTimestamp, long? stored, long? requested, DateTimeOffset now)
    {
        if (stored is null or 0)
        {
            // Marked with no grace left: the caller deletes now (or, with finalizers, keeps it marked).
            return default;
        }
        if (requested is null)
        {
            return new BeforeDeleteResult(false, true, stored);
        }
        var period = requested.Value;
        if (period >= stored.Value)
        {
            return new BeforeDeleteResult(false, true, stored);
        }
        // The original request time plus the new grace period.
        var newTimestamp = deletionTimestamp.AddSeconds(period - stored.Value);
        if (newTimestamp < now)
        {
            // v1.33 (kubernetes/kubernetes#122646): never move into the past; a graceful request whose window has
            // already elapsed keeps grace 1 so that the final delete stays with the kubelet.
            newTimestamp = now;
            if (period != 0)
            {
                period = 1;
            }
        }
        obj.SetDeletionTimestamp(newTimestamp);
        obj.SetDeletionGracePeriodSeconds(period);
        return new BeforeDeleteResult(true, false, period);
    }
}

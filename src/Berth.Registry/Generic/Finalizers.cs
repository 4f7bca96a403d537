using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

/// <summary>
/// Finalizer rules of the generic store: the garbage-collector finalizers a DELETE's propagationPolicy adds or removes,
/// "mark as deleting" for objects that keep finalizers, and deletion during an update that removes the last finalizer.
/// The garbage collector that acts on <c>orphan</c>/<c>foregroundDeletion</c> is not part of the registry.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
/// (deletionFinalizersForGarbageCollection, shouldOrphanDependents, shouldDeleteDependents, markAsDeleting,
/// ShouldDeleteDuringUpdate) and pkg/registry/core/namespace/storage/storage.go (ShouldDeleteNamespaceDuringUpdate).
/// </summary>
internal static class Finalizers
{
    public const string Orphan = "orphan";
    public const string ForegroundDeletion = "foregroundDeletion";

    public const string PolicyOrphan = "Orphan";
    public const string PolicyBackground = "Background";
    public const string PolicyForeground = "Foreground";

    /// <summary>
    /// The finalizers <paramref name="obj"/> should carry for <paramref name="propagationPolicy"/> (null: keep what the
    /// object says; our kinds all default to Background). Returns whether they differ from the current set.
    /// </summary>
    public static (bool Changed, List<string> Finalizers) ForGarbageCollection(JsonObject obj, string? propagationPolicy)
    {
        var current = obj.GetFinalizers();
        var orphan = propagationPolicy switch
        {
            PolicyOrphan => true,
            PolicyBackground or PolicyForeground => false,
            _ => current.Contains(Orphan),
        };
        var foreground = propagationPolicy switch
        {
            PolicyForeground => true,
            PolicyOrphan or PolicyBackground => false,
            _ => !current.Contains(Orphan) && current.Contains(ForegroundDeletion),
        };
        var result = current.Where(f => f is not (Orphan or ForegroundDeletion)).ToList();
        if (orphan)
        {
            result.Add(Orphan);
        }
        if (foreground)
        {
            result.Add(ForegroundDeletion);
        }
        var changed = !new HashSet<string>(current).SetEquals(result);
        return (changed, changed ? result : current);
    }

    /// <summary>
    /// Marks a non-graceful object that keeps finalizers: <c>deletionTimestamp</c> = now unless an earlier one is set,
    /// grace 0, and <c>generation</c> + 1 on the first mark.
    /// </summary>
    public static void MarkAsDeleting(JsonObject obj, DateTimeOffset now)
    {
        var existing = obj.GetDeletionTimestamp();
        if (existing is null && obj.GetGeneration() > 0)
        {
            obj.SetGeneration(obj.GetGeneration() + 1);
        }
        if (existing is null || existing.Value > now)
        {
            obj.SetDeletionTimestamp(now);
        }
        obj.SetDeletionGracePeriodSeconds(0);
    }

    /// <summary>
    /// True when an update must delete the object instead of writing it: the new object has no finalizers left and the
    /// stored one was already deleted with no grace period pending. Namespaces also need empty <c>spec.finalizers</c>.
    /// </summary>
    public static bool ShouldDeleteDuringUpdate(ResourceKind kind, JsonObject newObj, JsonObject existing)
    {
        if (newObj.GetFinalizers().Count > 0 || existing.GetDeletionTimestamp() is null)
        {
            return false;
        }
        if (kind == KindRegistry.Namespaces && newObj.GetArray("spec", "finalizers") is { Count: > 0 })
        {
            return false;
        }
        return existing.GetDeletionGracePeriodSeconds() is null or 0;
    }
}

using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>
    /// The revision matching the current template (created as revision max+1 when missing, renumbered to max+1 when
    /// an older one matches again after <c>rollout undo</c>, deduplicated when several match) and the other, old
    /// revisions. Revisions are claimed like pods: matching orphans adopted, non-matching owned ones released.
    /// </summary>
    /// <remarks>Mirrors update.go (constructHistory, controlledHistories, dedupCurHistories, snapshot).</remarks>
    private async Task<(JsonObject Current, IReadOnlyList<JsonObject> Old)> ConstructHistoryAsync(JsonObject ds, CancellationToken cancellationToken)
    {
        var data = DaemonSetRevisions.GetPatch(ds);
        var current = new List<JsonObject>();
        var old = new List<JsonObject>();
        foreach (var revision in await ControlledHistoriesAsync(ds, cancellationToken).ConfigureAwait(false))
        {
            var labelled = await EnsureHashLabelAsync(revision, cancellationToken).ConfigureAwait(false);
            (DaemonSetRevisions.Match(data, labelled) ? current : old).Add(labelled);
        }
        var next = old.Select(RevisionHistory.RevisionOf).DefaultIfEmpty(0).Max() + 1;
        if (current.Count == 0)
        {
            return (await SnapshotAsync(ds, data, next, cancellationToken).ConfigureAwait(false), old);
        }
        var keep = await DedupCurHistoriesAsync(ds, current, cancellationToken).ConfigureAwait(false);
        if (RevisionHistory.RevisionOf(keep) < next)
        {
            keep = await _history.UpdateControllerRevisionAsync(keep, next, cancellationToken).ConfigureAwait(false);
        }
        return (keep, old);
    }

    private async Task<IReadOnlyList<JsonObject>> ControlledHistoriesAsync(JsonObject ds, CancellationToken cancellationToken)
    {
        var selector = LabelSelector.FromLabelSelectorJson(ds.GetObject("spec", "selector"));
        var manager = new ControllerRefManager(_client, KindRegistry.ControllerRevisions, ds, selector, ct => CanAdoptAsync(ds, ct));
        return await manager.ClaimAsync(_history.ListControllerRevisions(ds, selector), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A revision without the DaemonSet hash label gets its name as the label (upstream, for revisions of old releases).</summary>
    private async Task<JsonObject> EnsureHashLabelAsync(JsonObject revision, CancellationToken cancellationToken)
    {
        if (revision.GetLabels().ContainsKey(DaemonSetUtil.ControllerRevisionHashLabel))
        {
            return revision;
        }
        return await SetHashLabelAsync(revision, revision.GetName()!, cancellationToken).ConfigureAwait(false) ?? revision;
    }

    private Task<JsonObject?> SetHashLabelAsync(JsonObject revision, string hash, CancellationToken cancellationToken) =>
        ObjectUpdater.UpdateAsync(_client, KindRegistry.ControllerRevisions, revision.GetNamespace(), revision.GetName()!, revision.GetUid(), live =>
        {
            if (live.GetLabels().GetValueOrDefault(DaemonSetUtil.ControllerRevisionHashLabel) == hash)
            {
                return false;
            }
            live.SetPath(hash, "metadata", "labels", DaemonSetUtil.ControllerRevisionHashLabel);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Stores the current template as revision <paramref name="revision"/>, named <c>&lt;ds&gt;-&lt;hash&gt;</c>. On a hash
    /// collision the history helper takes the next name; the new collision count is then persisted in status and the
    /// sync is retried, as upstream does.
    /// </summary>
    private async Task<JsonObject> SnapshotAsync(JsonObject ds, JsonObject data, long revision, CancellationToken cancellationToken)
    {
        var collisionCount = ds.GetLong("status", "collisionCount") ?? 0;
        var cr = DaemonSetRevisions.NewRevision(ds, data, revision, collisionCount);
        var created = await _history.CreateControllerRevisionAsync(ds, cr, collisionCount, cancellationToken).ConfigureAwait(false);
        if (created.CollisionCount == collisionCount)
        {
            return created.Revision;
        }
        var hash = RevisionHistory.HashControllerRevision(cr, created.CollisionCount);
        await SetHashLabelAsync(created.Revision, hash, cancellationToken).ConfigureAwait(false);
        await DaemonSetRevisions.StoreCollisionCountAsync(_client, ds, created.CollisionCount, cancellationToken).ConfigureAwait(false);
        Log.HashCollision(Logger, ds.GetNamespace() ?? "", ds.GetName() ?? "", created.Revision.GetName() ?? "", created.CollisionCount);
        throw ApiErrors.Conflict(KindRegistry.DaemonSets, ds.GetName() ?? "", "found a hash collision for its ControllerRevision; collisionCount raised, retrying");
    }

    /// <summary>Keeps the highest-numbered of several revisions equal to the template, moves pods labelled with the others onto it, and deletes the others.</summary>
    private async Task<JsonObject> DedupCurHistoriesAsync(JsonObject ds, List<JsonObject> current, CancellationToken cancellationToken)
    {
        if (current.Count == 1)
        {
            return current[0];
        }
        var keep = RevisionComparison.SortControllerRevisions(current)[^1];
        var keepHash = keep.GetLabels()[DaemonSetUtil.ControllerRevisionHashLabel];
        var duplicates = current.Where(r => r.GetName() != keep.GetName()).ToList();
        var duplicateHashes = duplicates.Select(r => r.GetLabels()[DaemonSetUtil.ControllerRevisionHashLabel]).ToHashSet(StringComparer.Ordinal);
        var pods = await GetNodesToDaemonPodsAsync(ds, true, cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods.Values.SelectMany(p => p).Where(p => duplicateHashes.Contains(DaemonSetUtil.HashOf(p) ?? "")))
        {
            await RelabelPodAsync(pod, keepHash, cancellationToken).ConfigureAwait(false);
        }
        foreach (var duplicate in duplicates)
        {
            await _history.DeleteControllerRevisionAsync(duplicate, cancellationToken).ConfigureAwait(false);
        }
        return keep;
    }

    private async Task RelabelPodAsync(V1Pod pod, string hash, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [DaemonSetUtil.ControllerRevisionHashLabel] = hash } } };
        try
        {
            await _client.PatchAsync(KindRegistry.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name, Registry.PatchType.Merge, patch,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone meanwhile: nothing to relabel.
        }
    }

    /// <summary>
    /// Deletes the oldest old revisions beyond spec.revisionHistoryLimit (default 10), skipping any that a live
    /// pod (terminating ones included) still carries.
    /// </summary>
    private async Task CleanupHistoryAsync(JsonObject ds, IReadOnlyList<JsonObject> old, CancellationToken cancellationToken)
    {
        var toKill = old.Count - (int)(ds.GetLong("spec", "revisionHistoryLimit") ?? 10);
        if (toKill <= 0)
        {
            return;
        }
        var pods = await GetNodesToDaemonPodsAsync(ds, true, cancellationToken).ConfigureAwait(false);
        var liveHashes = pods.Values.SelectMany(p => p).Select(DaemonSetUtil.HashOf)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var revision in RevisionComparison.SortControllerRevisions(old))
        {
            if (toKill <= 0)
            {
                break;
            }
            if (liveHashes.Contains(revision.GetLabels().GetValueOrDefault(DaemonSetUtil.ControllerRevisionHashLabel) ?? ""))
            {
                continue;
            }
            Log.DeletingRevision(Logger, ds.GetNamespace() ?? "", ds.GetName() ?? "", revision.GetName() ?? "");
            await _history.DeleteControllerRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
            toKill--;
        }
    }
}

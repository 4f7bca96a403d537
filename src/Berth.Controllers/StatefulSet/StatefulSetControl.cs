using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// One pass of the StatefulSet algorithm over a set and its claimed pods: pick the current and update
/// ControllerRevisions (creating or re-numbering one when the template changed), create, delete and update pods
/// (<see cref="StatefulSetControl"/>.Update), write status, and trim the revision history. Called by one worker at a
/// time per set; holds no per-set state, so a failed pass is simply run again.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go (defaultStatefulSetControl:
/// UpdateStatefulSet, performUpdate, getStatefulSetRevisions, updateStatefulSetStatus, truncateHistory).
/// </remarks>
public sealed partial class StatefulSetControl(IApiClient client, IControllerHistory history, StatefulPodControl podControl,
    TimeProvider timeProvider, ILogger logger)
{
    /// <summary>
    /// Brings the pods of <paramref name="set"/> one step closer to its spec and returns the status written. Pod and
    /// status errors are thrown after the history was trimmed, so that the key is retried.
    /// </summary>
    public async Task<StatefulSetStatus> UpdateStatefulSetAsync(JsonObject set, IReadOnlyList<JsonObject> pods, CancellationToken cancellationToken)
    {
        var revisions = RevisionComparison.SortControllerRevisions(ListRevisions(set));
        var (currentRevision, updateRevision, collisionCount) = await GetStatefulSetRevisionsAsync(set, revisions, cancellationToken).ConfigureAwait(false);
        Exception? error = null;
        StatefulSetStatus? status = null;
        try
        {
            status = await PerformUpdateAsync(set, pods, currentRevision, updateRevision, collisionCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e;
        }
        await TruncateHistoryAsync(set, pods, revisions, currentRevision, updateRevision, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
        return status!;
    }

    /// <summary>The cached revisions selected by the set's selector that it controls, or that have no controller.</summary>
    public IReadOnlyList<JsonObject> ListRevisions(JsonObject set) =>
        history.ListControllerRevisions(set, LabelSelector.FromLabelSelectorJson(set.GetObject("spec", "selector")));

    private async Task<StatefulSetStatus> PerformUpdateAsync(JsonObject set, IReadOnlyList<JsonObject> pods, JsonObject currentRevision,
        JsonObject updateRevision, long collisionCount, CancellationToken cancellationToken)
    {
        var (status, error) = await UpdatePodsAsync(set, currentRevision, updateRevision, collisionCount, pods, cancellationToken).ConfigureAwait(false);
        try
        {
            await UpdateStatefulSetStatusAsync(set, status, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (error is not null)
        {
            Log.StatusUpdateFailed(logger, set.GetNamespace() ?? "", set.GetName() ?? "", e);
        }
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
        return status;
    }

    /// <summary>
    /// The current and update revisions and the collision count. The update revision is the newest revision when it
    /// equals the template, an older equal revision re-numbered to the next number (a rollback), or a new one.
    /// The current revision is the one <c>status.currentRevision</c> names, else the update revision.
    /// </summary>
    private async Task<(JsonObject Current, JsonObject Update, long CollisionCount)> GetStatefulSetRevisionsAsync(JsonObject set,
        IReadOnlyList<JsonObject> revisions, CancellationToken cancellationToken)
    {
        var collisionCount = set.GetLong("status", "collisionCount") ?? 0;
        var updateRevision = StatefulSetRevisions.NewRevision(set, StatefulSetRevisions.NextRevision(revisions), collisionCount);
        var equal = RevisionComparison.FindEqualRevisions(revisions, updateRevision);
        if (equal.Count > 0 && RevisionComparison.EqualRevision(revisions[^1], equal[^1]))
        {
            updateRevision = revisions[^1];
        }
        else if (equal.Count > 0)
        {
            updateRevision = await history.UpdateControllerRevisionAsync(equal[^1], RevisionHistory.RevisionOf(updateRevision), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            var created = await history.CreateControllerRevisionAsync(set, updateRevision, collisionCount, cancellationToken).ConfigureAwait(false);
            (updateRevision, collisionCount) = (created.Revision, created.CollisionCount);
        }
        var currentName = set.GetString("status", "currentRevision");
        var current = revisions.FirstOrDefault(r => r.GetName() == currentName) ?? updateRevision;
        return (current, updateRevision, collisionCount);
    }

    /// <summary>Writes the status when it differs from the stored one, after completing a finished rolling update; retries conflicts on a fresh read.</summary>
    private async Task UpdateStatefulSetStatusAsync(JsonObject set, StatefulSetStatus status, CancellationToken cancellationToken)
    {
        status.CompleteRollingUpdate(set);
        var wanted = status.ToJson(set.GetObject("status"));
        if (JsonNode.DeepEquals(set["status"], wanted))
        {
            return;
        }
        var copy = ApiJson.Clone(set);
        for (var attempt = 1; ; attempt++)
        {
            copy["status"] = wanted.DeepClone();
            try
            {
                await client.UpdateAsync(KindRegistry.StatefulSets, set.GetNamespace(), copy, "status", cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 3)
            {
                copy = await client.GetAsync(KindRegistry.StatefulSets, set.GetNamespace(), set.GetName()!, cancellationToken).ConfigureAwait(false);
                if (copy.GetUid() != set.GetUid())
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Deletes the oldest revisions beyond <c>spec.revisionHistoryLimit</c> that are neither current, update, nor the
    /// revision of a live pod.
    /// </summary>
    private async Task TruncateHistoryAsync(JsonObject set, IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> revisions,
        JsonObject current, JsonObject update, CancellationToken cancellationToken)
    {
        var live = new HashSet<string>(StringComparer.Ordinal) { current.GetName() ?? "", update.GetName() ?? "" };
        live.UnionWith(pods.Select(StatefulSetUtils.GetPodRevision).OfType<string>());
        var old = revisions.Where(r => !live.Contains(r.GetName() ?? "")).ToList();
        var limit = (int)(set.GetLong("spec", "revisionHistoryLimit") ?? 10);
        foreach (var revision in old.Take(Math.Max(0, old.Count - limit)))
        {
            await history.DeleteControllerRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
        }
    }
}

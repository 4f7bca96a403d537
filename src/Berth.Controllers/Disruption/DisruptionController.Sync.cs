using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.Deployment;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry.Policy;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Disruption;

public sealed partial class DisruptionController
{
    /// <summary>
    /// One level-triggered pass over a budget (upstream sync): NotFound is done; a conflict is thrown to be retried
    /// without touching the status; any other failure is logged and answered with <see cref="FailSafeAsync"/>.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_pdbs.Lister.Get(key.Namespace, key.Name) is not { } pdb)
        {
            return;
        }
        try
        {
            await TrySyncAsync(pdb, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            throw;
        }
        catch (Exception e) when (e is ApiException or InvalidOperationException or FormatException)
        {
            Log.SyncFailed(Logger, key.Namespace, key.Name, e);
            await FailSafeAsync(pdb, e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Computes and writes the status; re-queues the budget for when the oldest disruptedPods entry expires.</summary>
    private async Task TrySyncAsync(JsonObject pdb, CancellationToken cancellationToken)
    {
        var pods = SelectorOf(pdb) is { } selector ? _pods.Lister.List(pdb.GetNamespace(), selector) : [];
        if (pods.Count == 0)
        {
            _recorder.Event(pdb, EventTypes.Normal, "NoPods", "No matching pods found");
        }
        var (expectedCount, desiredHealthy, unmanaged) = GetExpectedPodCount(pdb, pods);
        if (unmanaged.Count > 0)
        {
            _recorder.Eventf(pdb, EventTypes.Warning, "UnmanagedPods",
                "Pods selected by this PodDisruptionBudget (selector: {0}) were found to be unmanaged. As a result, the status of the PDB " +
                "cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set " +
                "\".spec.minAvailable\" field of the PDB to an integer value.", pdb.GetObject("spec", "selector")?.ToJsonString());
        }
        var now = _time.GetUtcNow();
        var expired = new List<JsonObject>();
        var (disrupted, recheckTime) = DisruptedPods.BuildDisruptedPodMap(pdb, pods, now, expired);
        foreach (var pod in expired)
        {
            _recorder.Eventf(pod, EventTypes.Warning, "NotDeleted", "Pod was expected by PDB {0}/{1} to be deleted but it wasn't",
                pdb.GetNamespace(), pdb.GetName());
        }
        var currentHealthy = DisruptedPods.CountHealthyPods(pods, disrupted, now);
        await UpdatePdbStatusAsync(pdb, currentHealthy, desiredHealthy, expectedCount, disrupted, cancellationToken).ConfigureAwait(false);
        if (recheckTime is { } at)
        {
            EnqueueAt(pdb, at);
        }
    }

    /// <summary>
    /// (expectedCount, desiredHealthy, unmanaged pods) of upstream getExpectedPodCount: maxUnavailable and a percent
    /// minAvailable scale (rounding up) against the controllers' replicas; an integer minAvailable is taken as is
    /// and the expected count is then simply the number of selected pods.
    /// </summary>
    internal (int Expected, int DesiredHealthy, IReadOnlyList<string> Unmanaged) GetExpectedPodCount(JsonObject pdb, IReadOnlyList<JsonObject> pods)
    {
        var spec = pdb.GetObject("spec") ?? [];
        if (spec["maxUnavailable"] is { } maxUnavailable)
        {
            var (expected, unmanaged) = _scale.GetExpectedScale(pods);
            var desired = expected - DeploymentUtil.GetScaledValueFromIntOrPercent(maxUnavailable, expected, roundUp: true);
            return (expected, Math.Max(desired, 0), unmanaged);
        }
        if (spec["minAvailable"] is not { } minAvailable)
        {
            return (0, 0, []);
        }
        if (minAvailable.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return (pods.Count, DeploymentUtil.GetScaledValueFromIntOrPercent(minAvailable, 0, roundUp: true), []);
        }
        var (count, unmanagedPods) = _scale.GetExpectedScale(pods);
        return (count, DeploymentUtil.GetScaledValueFromIntOrPercent(minAvailable, count, roundUp: true), unmanagedPods);
    }

    /// <summary>
    /// Writes the computed status unless the stored one already says the same (upstream updatePdbStatus).
    /// disruptionsAllowed is 0 while nothing is expected, so that a budget whose pods are still being created is safe.
    /// </summary>
    private async Task UpdatePdbStatusAsync(JsonObject pdb, int currentHealthy, int desiredHealthy, int expectedCount,
        IReadOnlyDictionary<string, DateTimeOffset> disrupted, CancellationToken cancellationToken)
    {
        var allowed = expectedCount <= 0 || currentHealthy - desiredHealthy <= 0 ? 0 : currentHealthy - desiredHealthy;
        var generation = pdb.GetLong("metadata", "generation") ?? 0;
        var status = pdb.GetObject("status") ?? [];
        var disruptedJson = DisruptedPods.ToJson(disrupted);
        if (status.GetLong("currentHealthy") == currentHealthy && status.GetLong("desiredHealthy") == desiredHealthy &&
            status.GetLong("expectedPods") == expectedCount && (status.GetLong("disruptionsAllowed") ?? 0) == allowed &&
            JsonNode.DeepEquals(status["disruptedPods"] ?? new JsonObject(), disruptedJson) &&
            (status.GetLong("observedGeneration") ?? 0) == generation && PodDisruptionBudgetConditions.ConditionsAreUpToDate(pdb))
        {
            return;
        }
        var copy = ApiJson.Clone(pdb);
        var newStatus = new JsonObject
        {
            ["currentHealthy"] = currentHealthy, ["desiredHealthy"] = desiredHealthy, ["expectedPods"] = expectedCount,
            ["disruptionsAllowed"] = allowed, ["observedGeneration"] = generation,
            ["conditions"] = status["conditions"]?.DeepClone() ?? new JsonArray(),
        };
        if (disrupted.Count > 0)
        {
            newStatus["disruptedPods"] = disruptedJson;
        }
        copy["status"] = newStatus;
        PodDisruptionBudgetConditions.UpdateDisruptionAllowedCondition(copy, _time.GetUtcNow());
        await _client.UpdateAsync(KindRegistry.PodDisruptionBudgets, pdb.GetNamespace(), copy, "status", cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// After a failed sync: no disruptions allowed, DisruptionAllowed=False/SyncFailed with the error as message, so the
    /// eviction subresource refuses rather than trusting a stale count (upstream failSafe).
    /// </summary>
    private async Task FailSafeAsync(JsonObject pdb, string message, CancellationToken cancellationToken)
    {
        var copy = ApiJson.Clone(pdb);
        if (copy["status"] is not JsonObject status)
        {
            status = [];
            copy["status"] = status;
        }
        status["disruptionsAllowed"] = 0;
        PodDisruptionBudgetConditions.SetStatusCondition(copy, "False", PodDisruptionBudgetConditions.SyncFailedReason, message, _time.GetUtcNow());
        await _client.UpdateAsync(KindRegistry.PodDisruptionBudgets, pdb.GetNamespace(), copy, "status", cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2700, Level = LogLevel.Warning, Message = "Failed to sync PodDisruptionBudget {Namespace}/{Name}")]
        public static partial void SyncFailed(ILogger logger, string @namespace, string name, Exception exception);
    }
}

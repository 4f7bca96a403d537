using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>
    /// Computes and stores the status from the cache (upstream updateDaemonSetStatus). observedGeneration is only
    /// advanced by a sync that acted on the current spec. While pods are ready but not yet available, looks again
    /// after minReadySeconds.
    /// </summary>
    private async Task UpdateDaemonSetStatusAsync(JsonObject ds, IReadOnlyList<V1Node> nodes, string hash, bool updateObservedGeneration,
        CancellationToken cancellationToken)
    {
        var nodeToDaemonPods = await GetNodesToDaemonPodsAsync(ds, false, cancellationToken).ConfigureAwait(false);
        var counts = DaemonSetStatusCalculator.Calculate(ds, PlacementFor(ds), nodes, nodeToDaemonPods, hash, _timeProvider.GetUtcNow());
        await DaemonSetStatusCalculator.StoreAsync(_client, ds, counts, updateObservedGeneration, cancellationToken).ConfigureAwait(false);
        var minReady = ds.GetLong("spec", "minReadySeconds") ?? 0;
        if (minReady > 0 && counts.Ready != counts.Available)
        {
            EnqueueAfter(ds, TimeSpan.FromSeconds(minReady));
        }
    }
}

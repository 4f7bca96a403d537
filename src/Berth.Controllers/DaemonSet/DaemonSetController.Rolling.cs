using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>
    /// One step of a RollingUpdate (upstream rollingUpdate). Without surge, deletes old pods — unavailable ones at
    /// once, available ones only while fewer than maxUnavailable nodes are unavailable — and manage recreates them
    /// at the new revision. With surge, creates new pods next to old ones (at once where the old pod is unavailable,
    /// else up to maxSurge at a time) and deletes each old pod once its new pod is available. Nodes are visited in
    /// name order, so the choice is deterministic. Called only when expectations are satisfied.
    /// </summary>
    private async Task RollingUpdateAsync(JsonObject ds, ObjectKey key, IReadOnlyList<V1Node> nodes, string hash, CancellationToken cancellationToken)
    {
        var nodeToDaemonPods = await GetNodesToDaemonPodsAsync(ds, false, cancellationToken).ConfigureAwait(false);
        var (maxSurge, maxUnavailable, desired) = UpdatedDesiredNodeCounts(ds, nodes, nodeToDaemonPods);
        var ordered = nodeToDaemonPods.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, (IReadOnlyList<V1Pod>)p.Value)).ToList();
        var (toDelete, toCreate) = maxSurge == 0
            ? (RollingUpdateWithoutSurge(ds, ordered, hash, maxUnavailable), (IReadOnlyList<string>)[])
            : RollingUpdateWithSurge(ds, ordered, nodes, hash, maxSurge, desired);
        if (toDelete.Count + toCreate.Count > 0)
        {
            Log.RollingUpdate(Logger, key.Namespace, key.Name, toDelete.Count + toCreate.Count, maxSurge, maxUnavailable);
        }
        await SyncNodesAsync(ds, key, toDelete, toCreate, hash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// (maxSurge, maxUnavailable, desiredNumberScheduled); also adds an empty entry for every node that should run
    /// the daemon and has no pod, so that it counts as unavailable. Both budgets zero means one unavailable.
    /// </summary>
    private (int MaxSurge, int MaxUnavailable, int Desired) UpdatedDesiredNodeCounts(JsonObject ds, IReadOnlyList<V1Node> nodes,
        Dictionary<string, List<V1Pod>> nodeToDaemonPods)
    {
        var placement = PlacementFor(ds);
        var desired = 0;
        foreach (var node in nodes.Where(n => placement.NodeShouldRunDaemonPod(n).ShouldRun))
        {
            desired++;
            nodeToDaemonPods.TryAdd(node.Metadata.Name, []);
        }
        var maxUnavailable = DaemonSetUtil.UnavailableCount(ds, desired);
        var maxSurge = DaemonSetUtil.SurgeCount(ds, desired);
        return desired > 0 && maxUnavailable == 0 && maxSurge == 0 ? (0, 1, desired) : (maxSurge, maxUnavailable, desired);
    }

    private List<V1Pod> RollingUpdateWithoutSurge(JsonObject ds, List<(string Node, IReadOnlyList<V1Pod> Pods)> nodes, string hash, int maxUnavailable)
    {
        var now = _timeProvider.GetUtcNow();
        var minReady = (int)(ds.GetLong("spec", "minReadySeconds") ?? 0);
        var numUnavailable = 0;
        var allowedReplacements = new List<V1Pod>();
        var candidates = new List<V1Pod>();
        foreach (var (_, pods) in nodes)
        {
            var (newPod, oldPod, ok) = FindUpdatedPodsOnNode(pods, hash);
            if (!ok || (oldPod is null) == (newPod is null))
            {
                // Excess pods, none, or one of each: manage is still at work there; the node counts as unavailable.
                numUnavailable++;
            }
            else if (newPod is not null)
            {
                numUnavailable += PodUtil.IsPodAvailable(newPod, minReady, now) ? 0 : 1;
            }
            else if (!PodUtil.IsPodAvailable(oldPod!, minReady, now))
            {
                allowedReplacements.Add(oldPod!);
                numUnavailable++;
            }
            else if (numUnavailable < maxUnavailable)
            {
                candidates.Add(oldPod!);
            }
        }
        var remaining = Math.Clamp(maxUnavailable - numUnavailable, 0, candidates.Count);
        return [.. allowedReplacements, .. candidates.Take(remaining)];
    }

    private (List<V1Pod> ToDelete, IReadOnlyList<string> ToCreate) RollingUpdateWithSurge(JsonObject ds,
        List<(string Node, IReadOnlyList<V1Pod> Pods)> nodes, IReadOnlyList<V1Node> nodeList, string hash, int maxSurge, int desired)
    {
        var now = _timeProvider.GetUtcNow();
        var minReady = (int)(ds.GetLong("spec", "minReadySeconds") ?? 0);
        var placement = PlacementFor(ds);
        var byName = nodeList.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        bool ShouldRun(string node) => byName.TryGetValue(node, out var n) && placement.NodeShouldRunDaemonPod(n).ShouldRun;
        var oldPodsToDelete = new List<V1Pod>();
        var shouldNotRunPodsToDelete = new List<V1Pod>();
        var allowedNewNodes = new List<string>();
        var candidateNewNodes = new List<string>();
        int numSurge = 0, numAvailable = 0;
        foreach (var (node, pods) in nodes)
        {
            var (newPod, oldPod, ok) = FindUpdatedPodsOnNode(pods, hash);
            if (!ok)
            {
                numSurge++;
                continue;
            }
            numAvailable += (oldPod ?? newPod) is { } counted && PodUtil.IsPodAvailable(counted, minReady, now) ? 1 : 0;
            if (oldPod is null)
            {
                continue;
            }
            if (newPod is not null)
            {
                // Already surged here: the old pod goes once the new one is available.
                if (PodUtil.IsPodAvailable(newPod, minReady, now))
                {
                    oldPodsToDelete.Add(oldPod);
                }
                else
                {
                    numSurge++;
                }
            }
            else if (!PodUtil.IsPodAvailable(oldPod, minReady, now))
            {
                // Unavailable anyway: replace it at once, or just remove it where the daemon should no longer run.
                if (ShouldRun(node))
                {
                    allowedNewNodes.Add(node);
                }
                else
                {
                    oldPodsToDelete.Add(oldPod);
                }
            }
            else if (!ShouldRun(node))
            {
                shouldNotRunPodsToDelete.Add(oldPod);
            }
            else if (numSurge < maxSurge)
            {
                candidateNewNodes.Add(node);
            }
        }
        // With surge the owner expects full availability: pods on nodes that no longer qualify go only while more
        // pods are available than desired.
        oldPodsToDelete.AddRange(shouldNotRunPodsToDelete.Take(Math.Max(0, numAvailable - desired)));
        var remainingSurge = Math.Clamp(maxSurge - numSurge, 0, candidateNewNodes.Count);
        return (oldPodsToDelete, [.. allowedNewNodes, .. candidateNewNodes.Take(remainingSurge)]);
    }

    /// <summary>
    /// The node's non-terminating updated and old pod; ok is false when there is more than one of either (manage
    /// prunes the excess first).
    /// </summary>
    internal static (V1Pod? NewPod, V1Pod? OldPod, bool Ok) FindUpdatedPodsOnNode(IReadOnlyList<V1Pod> pods, string hash)
    {
        V1Pod? newPod = null, oldPod = null;
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            if (DaemonSetUtil.IsPodUpdated(pod, hash))
            {
                if (newPod is not null)
                {
                    return (null, null, false);
                }
                newPod = pod;
            }
            else
            {
                if (oldPod is not null)
                {
                    return (null, null, false);
                }
                oldPod = pod;
            }
        }
        return (newPod, oldPod, true);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Controllers.ReplicaSet;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>
    /// Creates a daemon pod on every node that should run one and has none, and deletes pods on nodes that no longer
    /// qualify, surplus pods, failed pods (outside their back-off) and unbound pods whose node is gone (upstream manage).
    /// </summary>
    private async Task ManageAsync(JsonObject ds, ObjectKey key, IReadOnlyList<V1Node> nodes, string hash, CancellationToken cancellationToken)
    {
        var nodeToDaemonPods = await GetNodesToDaemonPodsAsync(ds, false, cancellationToken).ConfigureAwait(false);
        var placement = PlacementFor(ds);
        var nodesNeedingDaemonPods = new List<string>();
        var podsToDelete = new List<V1Pod>();
        foreach (var node in nodes)
        {
            var (needsPod, toDelete) = PodsShouldBeOnNode(ds, placement, node, nodeToDaemonPods, hash);
            if (needsPod)
            {
                nodesNeedingDaemonPods.Add(node.Metadata.Name);
            }
            podsToDelete.AddRange(toDelete);
        }
        podsToDelete.AddRange(GetUnscheduledPodsWithoutNode(nodes, nodeToDaemonPods));
        await SyncNodesAsync(ds, key, podsToDelete, nodesNeedingDaemonPods, hash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What one node needs (upstream podsShouldBeOnNode): a pod when it should run one and has none; otherwise the
    /// pods to delete — all of them when the node no longer qualifies, failed ones, and surplus ones (without surge
    /// all but the oldest; with surge see <see cref="SurplusWithSurge"/>).
    /// </summary>
    private (bool NeedsPod, List<V1Pod> ToDelete) PodsShouldBeOnNode(JsonObject ds, DaemonPlacement placement, V1Node node,
        Dictionary<string, List<V1Pod>> nodeToDaemonPods, string hash)
    {
        var (shouldRun, shouldContinueRunning) = placement.NodeShouldRunDaemonPod(node);
        var exists = nodeToDaemonPods.TryGetValue(node.Metadata.Name, out var daemonPods);
        var toDelete = new List<V1Pod>();
        if (shouldRun && !exists)
        {
            return (true, toDelete);
        }
        if (!shouldContinueRunning)
        {
            toDelete.AddRange((daemonPods ?? []).Where(p => p.Metadata.DeletionTimestamp is null));
            return (false, toDelete);
        }
        var running = new List<V1Pod>();
        foreach (var pod in (daemonPods ?? []).Where(p => p.Metadata.DeletionTimestamp is null))
        {
            if (pod.Status?.Phase != "Failed")
            {
                running.Add(pod);
            }
            else if (ShouldDeleteFailedPod(ds, node.Metadata.Name, pod))
            {
                toDelete.Add(pod);
            }
        }
        if (!DaemonSetUtil.AllowsSurge(ds))
        {
            toDelete.AddRange(PodByCreationTimestampAndPhase.Sort(running).Skip(1));
            return (false, toDelete);
        }
        if (running.Count == 0)
        {
            // Surging: a node keeps at least one live pod, so a replacement starts without waiting for the old one to go.
            return (shouldRun, toDelete);
        }
        toDelete.AddRange(SurplusWithSurge(ds, running, hash));
        return (false, toDelete);
    }

    /// <summary>
    /// With surge, a node may run the oldest updated pod and the oldest old pod together while the new one is not yet
    /// available and the old one still ready; every other pod is surplus, and the old pod goes once the new one is
    /// available or the old one stops being ready.
    /// </summary>
    private IEnumerable<V1Pod> SurplusWithSurge(JsonObject ds, List<V1Pod> running, string hash)
    {
        V1Pod? oldestNew = null, oldestOld = null;
        var surplus = new List<V1Pod>();
        foreach (var pod in PodByCreationTimestampAndPhase.Sort(running))
        {
            var updated = DaemonSetUtil.IsPodUpdated(pod, hash);
            if (updated && oldestNew is null)
            {
                oldestNew = pod;
            }
            else if (!updated && oldestOld is null)
            {
                oldestOld = pod;
            }
            else
            {
                surplus.Add(pod);
            }
        }
        var minReady = (int)(ds.GetLong("spec", "minReadySeconds") ?? 0);
        if (oldestNew is not null && oldestOld is not null &&
            (!PodUtil.IsPodReady(oldestOld) || PodUtil.IsPodAvailable(oldestNew, minReady, _timeProvider.GetUtcNow())))
        {
            surplus.Add(oldestOld);
        }
        return surplus;
    }

    /// <summary>A failed pod is deleted unless its node is in back-off (then the DaemonSet is looked at again when it ends).</summary>
    private bool ShouldDeleteFailedPod(JsonObject ds, string nodeName, V1Pod pod)
    {
        var backoffKey = FailedPodsBackoff.Key(ds.GetUid() ?? "", ds.GetLong("status", "observedGeneration") ?? 0, nodeName);
        if (FailedPodsBackoff.IsInBackOffSinceUpdate(backoffKey))
        {
            Log.FailedPodInBackoff(Logger, ds.GetNamespace() ?? "", ds.GetName() ?? "", pod.Metadata.Name, nodeName);
            EnqueueAfter(ds, FailedPodsBackoff.Get(backoffKey));
            return false;
        }
        FailedPodsBackoff.Next(backoffKey);
        Log.DeletingFailedPod(Logger, ds.GetNamespace() ?? "", ds.GetName() ?? "", pod.Metadata.Name, nodeName);
        _recorder.Eventf(ds, EventTypes.Warning, "FailedDaemonPod", "Found failed daemon pod {0}/{1} on node {2}, will try to kill it",
            pod.Metadata.NamespaceProperty, pod.Metadata.Name, nodeName);
        return true;
    }

    /// <summary>Unbound pods whose target node no longer exists; nothing else would delete them (upstream getUnscheduledPodsWithoutNode).</summary>
    private static IEnumerable<V1Pod> GetUnscheduledPodsWithoutNode(IReadOnlyList<V1Node> nodes, Dictionary<string, List<V1Pod>> nodeToDaemonPods)
    {
        var existing = nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        return nodeToDaemonPods.Where(p => !existing.Contains(p.Key))
            .SelectMany(p => p.Value)
            .Where(pod => string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Metadata.DeletionTimestamp is null);
    }

    /// <summary>
    /// Deletes <paramref name="podsToDelete"/> and creates one pod per node in <paramref name="nodesNeedingDaemonPods"/>
    /// (each at most <see cref="BurstReplicas"/>), recording expectations first; creations run in slow-start batches,
    /// deletions in parallel and gracefully. Throws the first error after lowering the expectations it voids.
    /// </summary>
    private async Task SyncNodesAsync(JsonObject ds, ObjectKey key, IReadOnlyList<V1Pod> podsToDelete, IReadOnlyList<string> nodesNeedingDaemonPods,
        string hash, CancellationToken cancellationToken)
    {
        var creates = nodesNeedingDaemonPods.Take(BurstReplicas).ToList();
        var deletes = podsToDelete.DistinctBy(p => p.Metadata.Uid).Take(BurstReplicas).ToList();
        Expectations.SetExpectations(key, creates.Count, deletes.Select(p => new ObjectKey(p.Metadata.NamespaceProperty ?? "", p.Metadata.Name)));
        if (creates.Count == 0 && deletes.Count == 0)
        {
            return;
        }
        Log.SyncingNodes(Logger, key.Namespace, key.Name, creates.Count, deletes.Count);
        var template = DaemonSetUtil.CreatePodTemplate(ds.GetObject("spec", "template"), hash);
        var next = -1;
        var (successes, createError) = await SlowStart.BatchAsync(creates.Count, 1,
            () => CreatePodAsync(ds, template, creates[Interlocked.Increment(ref next)], cancellationToken)).ConfigureAwait(false);
        for (var skipped = creates.Count - successes; skipped > 0; skipped--)
        {
            Expectations.CreationObserved(key);
        }
        var deleteErrors = await Task.WhenAll(deletes.Select(p => DeletePodAsync(key, ds, p, cancellationToken))).ConfigureAwait(false);
        if ((createError ?? deleteErrors.FirstOrDefault(e => e is not null)) is { } error)
        {
            throw error;
        }
    }

    private async Task CreatePodAsync(JsonObject ds, JsonObject template, string nodeName, CancellationToken cancellationToken)
    {
        var owner = new JsonObject
        {
            ["apiVersion"] = ds["apiVersion"]?.DeepClone(), ["kind"] = ds["kind"]?.DeepClone(), ["metadata"] = ds["metadata"]?.DeepClone(),
            ["spec"] = new JsonObject { ["template"] = template.DeepClone() },
        };
        var pod = PodTemplates.GetPodFromTemplate(owner);
        DaemonSetUtil.ReplaceDaemonSetPodNodeNameNodeAffinity(pod.GetObject("spec")!, nodeName);
        await _podControl.CreatePodAsync(ds, pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes one pod gracefully; a failed delete lowers the expectations, NotFound and a UID mismatch count as done.</summary>
    private Task<Exception?> DeletePodAsync(ObjectKey key, JsonObject ds, V1Pod pod, CancellationToken cancellationToken) =>
        _podControl.DeletePodAsync(ds, pod, () => Expectations.DeletionObserved(key, new ObjectKey(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name)),
            cancellationToken);
}

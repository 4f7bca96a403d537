using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>Placement rules per DaemonSet UID and resourceVersion, so node events do not re-parse templates; pruned by syncs of deleted sets.</summary>
    private readonly ConcurrentDictionary<string, (string? ResourceVersion, DaemonPlacement Placement)> _placements = new(StringComparer.Ordinal);

    /// <summary>The placement rules of the cached DaemonSet state; thread-safe.</summary>
    internal DaemonPlacement PlacementFor(JsonObject ds)
    {
        var uid = ds.GetUid() ?? "";
        var rv = ds.GetResourceVersion();
        if (_placements.TryGetValue(uid, out var cached) && cached.ResourceVersion == rv)
        {
            return cached.Placement;
        }
        var placement = DaemonPlacement.For(ds);
        _placements[uid] = (rv, placement);
        return placement;
    }

    private void AddPod(JsonObject pod)
    {
        if (pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            // Seen for the first time already terminating (e.g. after a restart): not a creation we wait for.
            DeletePod(pod);
            return;
        }
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef)
        {
            if (ResolveControllerRef(pod.GetNamespace() ?? "", controllerRef) is { } ds)
            {
                Expectations.CreationObserved(ObjectKeys.KeyOf(ds));
                Enqueue(ds);
            }
            return;
        }
        foreach (var ds in DaemonSetsMatching(pod))
        {
            Enqueue(ds);
        }
    }

    private void UpdatePod(JsonObject oldPod, JsonObject pod)
    {
        if (oldPod.GetResourceVersion() == pod.GetResourceVersion())
        {
            return;
        }
        if (pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            // A graceful delete began: replace (or count) it now rather than when the kubelet removes it.
            DeletePod(pod);
            return;
        }
        var oldRef = OwnerReferences.GetControllerOf(oldPod);
        var curRef = OwnerReferences.GetControllerOf(pod);
        var refChanged = oldRef?.GetString("uid") != curRef?.GetString("uid");
        if (refChanged && oldRef is not null && ResolveControllerRef(oldPod.GetNamespace() ?? "", oldRef) is { } oldDs)
        {
            Enqueue(oldDs);
        }
        if (curRef is not null)
        {
            if (ResolveControllerRef(pod.GetNamespace() ?? "", curRef) is { } ds)
            {
                Enqueue(ds);
                EnqueueWhenAvailable(ds, oldPod, pod);
            }
            return;
        }
        if (refChanged || !JsonNode.DeepEquals(oldPod.GetPath("metadata", "labels"), pod.GetPath("metadata", "labels")))
        {
            foreach (var ds in DaemonSetsMatching(pod))
            {
                Enqueue(ds);
            }
        }
    }

    private void DeletePod(JsonObject pod)
    {
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef &&
            ResolveControllerRef(pod.GetNamespace() ?? "", controllerRef) is { } ds)
        {
            Expectations.DeletionObserved(ObjectKeys.KeyOf(ds), ObjectKeys.KeyOf(pod));
            Enqueue(ds);
        }
    }

    /// <summary>A pod that just turned ready becomes available minReadySeconds later (plus a second against skew, upstream #39785).</summary>
    private void EnqueueWhenAvailable(JsonObject ds, JsonObject oldPod, JsonObject pod)
    {
        var minReady = ds.GetLong("spec", "minReadySeconds") ?? 0;
        if (minReady > 0 && !PodUtil.IsPodReady(_podModels.ToModel(oldPod)) && PodUtil.IsPodReady(_podModels.ToModel(pod)))
        {
            EnqueueAfter(ds, TimeSpan.FromSeconds(minReady + 1));
        }
    }

    private void AddNode(JsonObject node)
    {
        var model = _nodeModels.ToModel(node);
        foreach (var ds in _daemonSets.Lister.List(null))
        {
            if (PlacementFor(ds).NodeShouldRunDaemonPod(model).ShouldRun)
            {
                Enqueue(ds);
            }
        }
    }

    /// <summary>Enqueues the DaemonSets whose verdict for the node changed; heartbeats and condition timestamps are ignored.</summary>
    private void UpdateNode(JsonObject oldNode, JsonObject node)
    {
        if (ShouldIgnoreNodeUpdate(oldNode, node))
        {
            return;
        }
        var (oldModel, model) = (_nodeModels.ToModel(oldNode), _nodeModels.ToModel(node));
        foreach (var ds in _daemonSets.Lister.List(null))
        {
            var placement = PlacementFor(ds);
            if (placement.NodeShouldRunDaemonPod(oldModel) != placement.NodeShouldRunDaemonPod(model))
            {
                Enqueue(ds);
            }
        }
    }

    /// <summary>
    /// True when nothing but the resourceVersion and the conditions changed, and the set of True conditions is the
    /// same (upstream shouldIgnoreNodeUpdate / nodeInSameCondition).
    /// </summary>
    internal static bool ShouldIgnoreNodeUpdate(JsonObject oldNode, JsonObject node)
    {
        if (TrueConditions(oldNode) != TrueConditions(node))
        {
            return false;
        }
        var (a, b) = (ApiJson.Clone(oldNode), ApiJson.Clone(node));
        foreach (var copy in (JsonObject[])[a, b])
        {
            copy.Metadata().Remove("resourceVersion");
            (copy["status"] as JsonObject)?.Remove("conditions");
        }
        return JsonNode.DeepEquals(a, b);
    }

    private static string TrueConditions(JsonObject node) => string.Join(",",
        (node.GetArray("status", "conditions") ?? []).OfType<JsonObject>().Where(c => c.GetString("status") == "True")
            .Select(c => c.GetString("type")).Order(StringComparer.Ordinal));
}

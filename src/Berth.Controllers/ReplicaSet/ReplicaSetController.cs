using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ReplicaSet;

/// <summary>
/// Keeps <c>spec.replicas</c> active pods for every ReplicaSet: claims pods by selector (adopting orphans, releasing
/// pods that stopped matching), creates missing pods in slow-start batches and deletes surplus pods in the
/// <see cref="ActivePodsWithRanks"/> order, gracefully; then writes status. Terminating pods do not count as
/// active, so a scale-down is replaced at once while the old pods finish their grace period. Expectations keep a sync
/// that runs before the informer saw the last creates/deletes from acting twice.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/replicaset/replica_set.go (ReplicaSetController: addPod, updatePod,
/// deletePod, syncReplicaSet, manageReplicas, getPodsToDelete) in the <see cref="ControllerBase"/> shape. Run with
/// <c>RunAsync(workers, ct)</c> after the informer factory started.
/// </remarks>
public sealed partial class ReplicaSetController : ControllerBase
{
    /// <summary>Most pods created or deleted in one sync (upstream BurstReplicas).</summary>
    public const int BurstReplicas = 500;

    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly PodControl _podControl;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _replicaSets;
    private readonly SharedInformer _pods;
    private readonly TypedLister<V1Pod> _podModels;

    /// <param name="recorder">A recorder for source component <c>replicaset-controller</c>.</param>
    public ReplicaSetController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<ReplicaSetController> logger)
        : this(informers.InformerFor(KindRegistry.ReplicaSets), informers.InformerFor(KindRegistry.Pods), client, recorder, timeProvider, logger)
    {
    }

    private ReplicaSetController(SharedInformer replicaSets, SharedInformer pods, IApiClient client, IEventRecorder recorder,
        TimeProvider timeProvider, ILogger<ReplicaSetController> logger)
        : base("replicaset", [replicaSets, pods], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _podControl = new PodControl(client, recorder);
        _timeProvider = timeProvider;
        _replicaSets = replicaSets;
        _pods = pods;
        _podModels = pods.TypedLister<V1Pod>();
        Expectations = new ControllerExpectations(timeProvider);
        replicaSets.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (rs, _) => Enqueue(rs),
            UpdateFunc = (_, rs) => Enqueue(rs),
            DeleteFunc = (rs, tombstone) =>
            {
                var key = tombstone?.Key ?? ObjectKeys.KeyOf(rs);
                Expectations.DeleteExpectations(key);
                Enqueue(key);
            },
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => AddPod(pod),
            UpdateFunc = UpdatePod,
            DeleteFunc = (pod, _) => DeletePod(pod),
        });
    }

    /// <summary>Creates and deletes still awaited per ReplicaSet; written by syncs, lowered by pod events.</summary>
    internal ControllerExpectations Expectations { get; }

    private void AddPod(JsonObject pod)
    {
        if (pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            DeletePod(pod);
            return;
        }
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef)
        {
            if (ResolveControllerRef(pod.GetNamespace() ?? "", controllerRef) is { } rs)
            {
                Expectations.CreationObserved(ObjectKeys.KeyOf(rs));
                Enqueue(rs);
            }
            return;
        }
        EnqueueMatching(pod);
    }

    private void UpdatePod(JsonObject oldPod, JsonObject pod)
    {
        if (oldPod.GetResourceVersion() == pod.GetResourceVersion())
        {
            return;
        }
        var labelsChanged = !LabelsEqual(oldPod, pod);
        if (pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            DeletePod(pod);
            if (labelsChanged)
            {
                DeletePod(oldPod);
            }
            return;
        }
        var oldRef = OwnerReferences.GetControllerOf(oldPod);
        var curRef = OwnerReferences.GetControllerOf(pod);
        var refChanged = oldRef?.GetString("uid") != curRef?.GetString("uid");
        if (refChanged && oldRef is not null && ResolveControllerRef(oldPod.GetNamespace() ?? "", oldRef) is { } oldRs)
        {
            Enqueue(oldRs);
        }
        if (curRef is not null)
        {
            if (ResolveControllerRef(pod.GetNamespace() ?? "", curRef) is { } rs)
            {
                Enqueue(rs);
                EnqueueWhenAvailable(rs, oldPod, pod);
            }
            return;
        }
        if (labelsChanged || refChanged)
        {
            EnqueueMatching(pod);
        }
    }

    private void DeletePod(JsonObject pod)
    {
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef &&
            ResolveControllerRef(pod.GetNamespace() ?? "", controllerRef) is { } rs)
        {
            Expectations.DeletionObserved(ObjectKeys.KeyOf(rs), ObjectKeys.KeyOf(pod));
            Enqueue(rs);
        }
    }

    /// <summary>A pod that just turned ready becomes available minReadySeconds later: look again then.</summary>
    private void EnqueueWhenAvailable(JsonObject rs, JsonObject oldPod, JsonObject pod)
    {
        var minReady = rs.GetLong("spec", "minReadySeconds") ?? 0;
        if (minReady > 0 && !PodUtil.IsPodReady(_podModels.ToModel(oldPod)) && PodUtil.IsPodReady(_podModels.ToModel(pod)))
        {
            EnqueueAfter(rs, TimeSpan.FromSeconds(minReady) + TimeSpan.FromSeconds(1));
        }
    }

    private void EnqueueMatching(JsonObject pod)
    {
        foreach (var rs in _replicaSets.Lister.List(pod.GetNamespace()))
        {
            var selector = LabelSelector.FromLabelSelectorJson(rs.GetObject("spec", "selector"));
            if (!selector.IsEmpty && selector.MatchesObject(pod))
            {
                Enqueue(rs);
            }
        }
    }

    /// <summary>The cached ReplicaSet a controller reference names, when kind and UID match.</summary>
    private JsonObject? ResolveControllerRef(string ns, JsonObject controllerRef)
    {
        if (controllerRef.GetString("kind") != KindRegistry.ReplicaSets.Kind)
        {
            return null;
        }
        var rs = _replicaSets.Lister.Get(ns, controllerRef.GetString("name") ?? "");
        return rs?.GetUid() == controllerRef.GetString("uid") ? rs : null;
    }

    private static bool LabelsEqual(JsonObject a, JsonObject b)
    {
        var (x, y) = (a.GetLabels(), b.GetLabels());
        return x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}

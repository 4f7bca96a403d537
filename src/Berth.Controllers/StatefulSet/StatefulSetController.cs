using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.History;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.StatefulSet;

/// <summary>
/// Runs StatefulSets: pods with stable names <c>&lt;set&gt;-&lt;ordinal&gt;</c>, created in order (OrderedReady) or
/// all at once (Parallel), deleted from the highest ordinal down on scale-down (one at a time, each fully gone before
/// the next, for OrderedReady), and replaced from the highest ordinal down on a RollingUpdate (down to the partition);
/// revisions are ControllerRevisions. Informer handlers only enqueue set keys; <see cref="SyncAsync"/> claims the
/// set's pods and hands them to <see cref="StatefulSetControl"/>.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/statefulset/stateful_set.go (StatefulSetController: addPod,
/// updatePod, deletePod, getStatefulSetsForPod, resolveControllerRef, sync, adoptOrphanRevisions,
/// getPodsForStatefulSet) in the <see cref="ControllerBase"/> shape. Like upstream it keeps no expectations: pod
/// names are fixed, so a create the cache has not seen yet fails with AlreadyExists and is retried, and ordered
/// steps wait for the cache to show the previous step. Run with <c>RunAsync(workers, ct)</c> after the informer factory started.
/// </remarks>
public sealed partial class StatefulSetController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly SharedInformer _sets;
    private readonly SharedInformer _pods;
    private readonly StatefulSetControl _control;

    /// <param name="recorder">A recorder for source component <c>statefulset-controller</c>.</param>
    public StatefulSetController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<StatefulSetController> logger)
        : this(informers.InformerFor(KindRegistry.StatefulSets), informers.InformerFor(KindRegistry.Pods),
            informers.InformerFor(KindRegistry.ControllerRevisions), informers.InformerFor(KindRegistry.PersistentVolumeClaims), client, recorder,
            timeProvider, logger)
    {
    }

    private StatefulSetController(SharedInformer sets, SharedInformer pods, SharedInformer revisions, SharedInformer claims, IApiClient client,
        IEventRecorder recorder, TimeProvider timeProvider, ILogger<StatefulSetController> logger)
        : base("statefulset", [sets, pods, revisions, claims], timeProvider, logger)
    {
        _client = client;
        _sets = sets;
        _pods = pods;
        _control = new StatefulSetControl(client, new ControllerHistory(client, revisions.Lister), new StatefulPodControl(client, recorder, claims.Lister),
            timeProvider, logger);
        sets.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (set, _) => Enqueue(set),
            UpdateFunc = (_, set) => Enqueue(set),
            DeleteFunc = EnqueueDeleted,
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => AddPod(pod),
            UpdateFunc = UpdatePod,
            DeleteFunc = (pod, _) => DeletePod(pod),
        });
    }

    private void AddPod(JsonObject pod)
    {
        if (pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            DeletePod(pod);
            return;
        }
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef)
        {
            if (ResolveControllerRef(pod.GetNamespace() ?? "", controllerRef) is { } set)
            {
                Enqueue(set);
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
        var oldRef = OwnerReferences.GetControllerOf(oldPod);
        var curRef = OwnerReferences.GetControllerOf(pod);
        if (oldRef?.GetString("uid") != curRef?.GetString("uid") && oldRef is not null &&
            ResolveControllerRef(oldPod.GetNamespace() ?? "", oldRef) is { } oldSet)
        {
            Enqueue(oldSet);
        }
        if (curRef is not null)
        {
            if (ResolveControllerRef(pod.GetNamespace() ?? "", curRef) is { } set)
            {
                Enqueue(set);
                EnqueueWhenAvailable(set, oldPod, pod);
            }
            return;
        }
        EnqueueMatching(pod);
    }

    private void DeletePod(JsonObject pod)
    {
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef &&
            ResolveControllerRef(pod.GetNamespace() ?? "", controllerRef) is { } set)
        {
            Enqueue(set);
        }
    }

    /// <summary>A pod that just turned ready becomes available minReadySeconds later: look again then.</summary>
    private void EnqueueWhenAvailable(JsonObject set, JsonObject oldPod, JsonObject pod)
    {
        var minReady = set.GetLong("spec", "minReadySeconds") ?? 0;
        if (minReady > 0 && !StatefulPodState.IsRunningAndReady(oldPod) && StatefulPodState.IsRunningAndReady(pod))
        {
            EnqueueAfter(set, TimeSpan.FromSeconds(minReady) + TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>An orphan may be adopted by any set whose selector matches it (upstream getStatefulSetsForPod).</summary>
    private void EnqueueMatching(JsonObject pod)
    {
        foreach (var set in _sets.Lister.List(pod.GetNamespace()))
        {
            var selector = LabelSelector.FromLabelSelectorJson(set.GetObject("spec", "selector"));
            if (!selector.IsEmpty && selector.MatchesObject(pod))
            {
                Enqueue(set);
            }
        }
    }

    /// <summary>The cached StatefulSet a controller reference names, when kind and UID match.</summary>
    private JsonObject? ResolveControllerRef(string ns, JsonObject controllerRef)
    {
        if (controllerRef.GetString("kind") != KindRegistry.StatefulSets.Kind)
        {
            return null;
        }
        var set = _sets.Lister.Get(ns, controllerRef.GetString("name") ?? "");
        return set?.GetUid() == controllerRef.GetString("uid") ? set : null;
    }
}

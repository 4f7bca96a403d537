using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.History;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.DaemonSet;

/// <summary>
/// Runs one pod of every DaemonSet on each eligible node (<see cref="DaemonPlacement"/>). A missing daemon pod is
/// created unbound, pinned to its node by a required node affinity on <c>metadata.name</c>, and the scheduler binds
/// it; a pod on a node that no longer qualifies, a surplus pod and a failed pod (after a per-node back-off) are
/// deleted gracefully. Each template state is a ControllerRevision whose hash labels the pods
/// (<c>controller-revision-hash</c>), which drives the RollingUpdate strategy (maxUnavailable / maxSurge) and
/// <c>kubectl rollout status|history|undo ds</c>; OnDelete replaces a pod only when the user deletes it. Status
/// counts nodes: desired, current, misscheduled, ready, available, unavailable and updated.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/daemon/daemon_controller.go (DaemonSetsController: addNode,
/// updateNode, addPod, updatePod, deletePod, syncDaemonSet, manage, syncNodes, podsShouldBeOnNode) and update.go
/// (rollingUpdate, constructHistory, cleanupHistory) in the <see cref="ControllerBase"/> shape. Event handlers only
/// enqueue; a sync works on the cached objects (read-only) and writes through <see cref="IApiClient"/>.
/// </remarks>
public sealed partial class DaemonSetController : ControllerBase
{
    /// <summary>Most pods created or deleted in one sync (upstream BurstReplicas of the DaemonSet controller).</summary>
    public const int BurstReplicas = 250;

    /// <summary>How often the failed-pod back-off forgets stale entries (upstream BackoffGCInterval).</summary>
    private static readonly TimeSpan BackoffGCInterval = TimeSpan.FromMinutes(1);

    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly PodControl _podControl;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _daemonSets;
    private readonly SharedInformer _pods;
    private readonly SharedInformer _nodes;
    private readonly TypedLister<V1Pod> _podModels;
    private readonly TypedLister<V1Node> _nodeModels;
    private readonly IControllerHistory _history;

    /// <summary>UTC ticks of the last back-off GC; workers swap it atomically, so one of two racing workers runs the GC.</summary>
    private long _lastBackoffGCTicks;

    /// <param name="recorder">A recorder for source component <c>daemonset-controller</c>.</param>
    public DaemonSetController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<DaemonSetController> logger)
        : this(informers.InformerFor(KindRegistry.DaemonSets), informers.InformerFor(KindRegistry.Pods), informers.InformerFor(KindRegistry.Nodes),
            informers.InformerFor(KindRegistry.ControllerRevisions), client, recorder, timeProvider, logger)
    {
    }

    private DaemonSetController(SharedInformer daemonSets, SharedInformer pods, SharedInformer nodes, SharedInformer histories,
        IApiClient client, IEventRecorder recorder, TimeProvider timeProvider, ILogger<DaemonSetController> logger)
        : base("daemonset", [daemonSets, pods, nodes, histories], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _podControl = new PodControl(client, recorder);
        _timeProvider = timeProvider;
        _daemonSets = daemonSets;
        _pods = pods;
        _nodes = nodes;
        _podModels = pods.TypedLister<V1Pod>();
        _nodeModels = nodes.TypedLister<V1Node>();
        _history = new ControllerHistory(client, histories.Lister);
        Expectations = new ControllerExpectations(timeProvider);
        FailedPodsBackoff = new FailedPodsBackoff(timeProvider);
        _lastBackoffGCTicks = timeProvider.GetUtcNow().UtcTicks;
        daemonSets.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (ds, _) => Enqueue(ds),
            UpdateFunc = (_, ds) => Enqueue(ds),
            DeleteFunc = EnqueueDeleted,
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => AddPod(pod),
            UpdateFunc = UpdatePod,
            DeleteFunc = (pod, _) => DeletePod(pod),
        });
        nodes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (node, _) => AddNode(node),
            UpdateFunc = UpdateNode,
            DeleteFunc = (_, _) => EnqueueAll(),
        });
        histories.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (history, _) => EnqueueOwnerOrMatching(history),
            UpdateFunc = (oldHistory, history) => UpdateHistory(oldHistory, history),
            DeleteFunc = (history, _) => EnqueueOwnerOrMatching(history),
        });
    }

    /// <summary>Creates and deletes still awaited per DaemonSet; written by syncs, lowered by pod events.</summary>
    internal ControllerExpectations Expectations { get; }

    /// <summary>Back-off before a failed daemon pod on a node is deleted again; written by syncs only.</summary>
    internal FailedPodsBackoff FailedPodsBackoff { get; }

    private void EnqueueAll()
    {
        foreach (var ds in _daemonSets.Lister.List(null))
        {
            Enqueue(ds);
        }
    }

    private void UpdateHistory(JsonObject oldHistory, JsonObject history)
    {
        if (oldHistory.GetResourceVersion() == history.GetResourceVersion())
        {
            return;
        }
        if (OwnerReferences.GetControllerOf(oldHistory)?.GetString("uid") != OwnerReferences.GetControllerOf(history)?.GetString("uid"))
        {
            EnqueueOwnerOrMatching(oldHistory);
        }
        EnqueueOwnerOrMatching(history);
    }

    /// <summary>The owning DaemonSet of a pod or revision, or every DaemonSet whose selector matches an orphan (it may adopt it).</summary>
    private void EnqueueOwnerOrMatching(JsonObject obj)
    {
        if (OwnerReferences.GetControllerOf(obj) is { } controllerRef)
        {
            if (ResolveControllerRef(obj.GetNamespace() ?? "", controllerRef) is { } ds)
            {
                Enqueue(ds);
            }
            return;
        }
        foreach (var ds in DaemonSetsMatching(obj))
        {
            Enqueue(ds);
        }
    }

    private IEnumerable<JsonObject> DaemonSetsMatching(JsonObject obj)
    {
        foreach (var ds in _daemonSets.Lister.List(obj.GetNamespace()))
        {
            var selector = Machinery.Selectors.LabelSelector.FromLabelSelectorJson(ds.GetObject("spec", "selector"));
            if (!selector.IsEmpty && selector.MatchesObject(obj))
            {
                yield return ds;
            }
        }
    }

    /// <summary>The cached DaemonSet a controller reference names, when kind and UID match.</summary>
    private JsonObject? ResolveControllerRef(string ns, JsonObject controllerRef)
    {
        if (controllerRef.GetString("kind") != KindRegistry.DaemonSets.Kind)
        {
            return null;
        }
        var ds = _daemonSets.Lister.Get(ns, controllerRef.GetString("name") ?? "");
        return ds?.GetUid() == controllerRef.GetString("uid") ? ds : null;
    }
}

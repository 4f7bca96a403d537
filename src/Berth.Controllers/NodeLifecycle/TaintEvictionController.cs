using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.Scheduling;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.NodeLifecycle;

/// <summary>
/// Evicts pods from nodes with NoExecute taints: a pod that does not tolerate every NoExecute taint of its node is
/// deleted at once; a pod whose matching tolerations all carry <c>tolerationSeconds</c> is deleted when the shortest
/// one has passed (the 300 s not-ready/unreachable tolerations every pod gets by default); a toleration without
/// seconds tolerates forever. The countdown is cancelled (event "Cancelling deletion of Pod ns/name") when the taints
/// go away. Before deleting, the pod gets the DisruptionTarget condition (DeletionByTaintManager); the delete is
/// graceful (the pod's own grace period) and guarded by the pod's UID.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/tainteviction/taint_eviction.go (processPodOnNode, getMinTolerationTime,
/// addConditionAndDeletePod) in the <see cref="ControllerBase"/> shape: pod keys are queued, and a pod waiting out its
/// toleration is re-queued for the moment it runs out. Deviation: when the tolerations change while a countdown runs,
/// the eviction time is recomputed from the original start.
/// </remarks>
public sealed partial class TaintEvictionController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly ISharedInformer _pods;
    private readonly TypedLister<V1Pod> _podModels;
    private readonly TypedLister<V1Node> _nodeModels;
    private readonly ScheduledEvictions _scheduled = new();

    /// <param name="recorder">A recorder for source component <c>taint-eviction-controller</c>.</param>
    public TaintEvictionController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<TaintEvictionController> logger)
        : this(informers.InformerFor(KindRegistry.Pods, new InformerOptions(Indexers: new Dictionary<string, IndexFunc> { [Indexers.NodeNameIndex] = Indexers.PodNodeName })),
            informers.InformerFor(KindRegistry.Nodes), client, recorder, timeProvider, logger)
    {
    }

    private TaintEvictionController(SharedInformer pods, SharedInformer nodes, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<TaintEvictionController> logger)
        : base("taint-eviction-controller", [pods, nodes], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _pods = pods;
        _podModels = pods.TypedLister<V1Pod>();
        _nodeModels = nodes.TypedLister<V1Node>();
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => EnqueueAssigned(pod),
            UpdateFunc = (_, pod) => EnqueueAssigned(pod),
            DeleteFunc = (pod, tombstone) => _scheduled.Cancel(tombstone?.Key ?? ObjectKeys.KeyOf(pod)),
        });
        nodes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (node, _) => EnqueuePodsOn(node),
            UpdateFunc = (oldNode, node) =>
            {
                if (NoExecuteTaintsJson(oldNode) != NoExecuteTaintsJson(node))
                {
                    EnqueuePodsOn(node);
                }
            },
            DeleteFunc = (node, _) => EnqueuePodsOn(node),
        });
    }

    private void EnqueueAssigned(JsonObject pod)
    {
        if (!string.IsNullOrEmpty(pod.GetString("spec", "nodeName")))
        {
            Enqueue(pod);
        }
    }

    private void EnqueuePodsOn(JsonObject node)
    {
        foreach (var pod in _pods.Lister.ByIndex(Indexers.NodeNameIndex, node.GetName() ?? ""))
        {
            Enqueue(pod);
        }
    }

    private static string NoExecuteTaintsJson(JsonObject node) =>
        new JsonArray([.. (node.GetArray("spec", "taints") ?? []).OfType<JsonObject>().Where(t => t.GetString("effect") == "NoExecute").Select(t => t.DeepClone())]).ToJsonString();

    /// <summary>Decides for one pod: nothing, cancel, wait (re-queued for the deadline), or evict now.</summary>
    /// <remarks>
    /// The pod is read as JSON until its node turns out to have NoExecute taints: only then is it converted to a
    /// (shared, cached) <see cref="V1Pod"/>, so pods on untainted nodes, i.e. nearly all of them, keep no model copy.
    /// </remarks>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var podObject = _pods.Lister.Get(key.Namespace, key.Name);
        var nodeName = podObject?.GetString("spec", "nodeName");
        if (podObject is null || string.IsNullOrEmpty(nodeName) || podObject.GetString("metadata", "deletionTimestamp") is not null)
        {
            _scheduled.Cancel(key);
            return;
        }
        var taints = (_nodeModels.Get(null, nodeName)?.Spec?.Taints ?? []).Where(t => t.Effect == "NoExecute").ToList();
        if (taints.Count == 0)
        {
            CancelWithEvent(key, podObject);
            return;
        }
        var pod = _podModels.ToModel(podObject);
        var (allTolerated, used) = Tolerations.GetMatchingTolerations(taints, pod.Spec.Tolerations);
        var now = _timeProvider.GetUtcNow();
        if (allTolerated)
        {
            var minToleration = MinTolerationTime(used);
            if (minToleration is null)
            {
                CancelWithEvent(key, podObject);
                return;
            }
            var startedAt = _scheduled.StartedAt(key) ?? now;
            var deadline = startedAt + minToleration.Value;
            if (deadline > now)
            {
                Queue.AddAt(key, deadline);
                _scheduled.Schedule(key, startedAt);
                return;
            }
        }
        await EvictAsync(key, pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The shortest tolerationSeconds among <paramref name="used"/> (zero or negative evicts at once); null when none has seconds.</summary>
    internal static TimeSpan? MinTolerationTime(IReadOnlyList<V1Toleration> used)
    {
        TimeSpan? min = null;
        foreach (var toleration in used)
        {
            if (toleration.TolerationSeconds is { } seconds)
            {
                var value = TimeSpan.FromSeconds(Math.Max(0, seconds));
                min = min is { } m && m <= value ? m : value;
            }
        }
        return used.Count == 0 ? TimeSpan.Zero : min;
    }

    /// <summary>Whether an eviction countdown runs for <paramref name="key"/> (for tests and diagnostics).</summary>
    internal bool IsEvictionScheduled(ObjectKey key) => _scheduled.StartedAt(key) is not null;

    private void CancelWithEvent(ObjectKey key, JsonObject pod)
    {
        if (_scheduled.Cancel(key))
        {
            _recorder.Eventf(pod, EventTypes.Normal, "TaintManagerEviction", "Cancelling deletion of Pod {0}", key.ToString());
        }
    }

    private async Task EvictAsync(ObjectKey key, V1Pod pod, CancellationToken cancellationToken)
    {
        _recorder.Eventf(ObjectReference.FromModel(pod), EventTypes.Normal, "TaintManagerEviction", "Marking for deletion Pod {0}", key.ToString());
        Log.Evicting(Logger, key.Namespace, key.Name, pod.Spec.NodeName);
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "DisruptionTarget", ["status"] = "True", ["reason"] = "DeletionByTaintManager",
                    ["message"] = "Taint manager: deleting due to NoExecute taint",
                    ["lastTransitionTime"] = MetaTimes.Format(_timeProvider.GetUtcNow()),
                }),
            },
        };
        try
        {
            await _client.PatchAsync(KindRegistry.Pods, key.Namespace, key.Name, PatchType.StrategicMerge, patch, "status",
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await _client.DeleteAsync(KindRegistry.Pods, key.Namespace, key.Name, new DeleteOptions(PreconditionUid: pod.Metadata.Uid),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone, or replaced by a pod of the same name: nothing left to evict.
        }
        _scheduled.Cancel(key);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2340, Level = LogLevel.Information, Message = "Deleting pod {Namespace}/{Pod}: NoExecute taint on node {Node}")]
        public static partial void Evicting(ILogger logger, string @namespace, string pod, string node);
    }
}

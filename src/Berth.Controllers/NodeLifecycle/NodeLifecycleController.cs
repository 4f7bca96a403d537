using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.NodeLifecycle;

/// <summary>
/// Watches node heartbeats (the Leases in <c>kube-node-lease</c> and the Ready condition's heartbeat) and, when a node
/// has shown no sign of life for <see cref="NodeLifecycleOptions.NodeMonitorGracePeriod"/>, sets its Ready,
/// MemoryPressure, DiskPressure and PIDPressure conditions to Unknown (<c>NodeStatusUnknown</c>, "Kubelet stopped
/// posting node status."), marks its pods' Ready condition False, and records <c>NodeNotReady</c>. It keeps the
/// condition taints in line (<see cref="NodeTaints"/>): NoSchedule and NoExecute <c>unreachable</c> /
/// <c>not-ready</c> while the node is not Ready, removed once it is Ready again; evicting pods from NoExecute taints
/// is the <see cref="TaintEvictionController"/>'s job.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (monitorNodeHealth,
/// tryUpdateNodeHealth, processTaintBaseEviction, doNoScheduleTaintingPass, processPod) in the
/// <see cref="ControllerBase"/> shape: node keys (no namespace) and pod keys share the queue, and instead of polling
/// every 5 s a healthy node is re-checked exactly when its grace period would run out. Deviations: no zone
/// disruption modes and no tainting rate limit, so NoExecute taints are added even when every node is down (upstream
/// stops evictions then — on a one-node cluster it would never evict).
/// </remarks>
public sealed partial class NodeLifecycleController : ControllerBase
{
    /// <summary>Namespace of the node Leases.</summary>
    public const string NodeLeaseNamespace = "kube-node-lease";

    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly NodeLifecycleOptions _options;
    private readonly ISharedInformer _nodes;
    private readonly ISharedInformer _leases;
    private readonly ISharedInformer _pods;
    private readonly NodeHealthTracker _health = new();
    private readonly HashSet<string> _markPodsRetry = new(StringComparer.Ordinal);

    /// <param name="recorder">A recorder for source component <c>node-controller</c>.</param>
    public NodeLifecycleController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<NodeLifecycleController> logger, NodeLifecycleOptions? options = null)
        : this(informers.InformerFor(KindRegistry.Nodes),
            informers.InformerFor(KindRegistry.Leases, new InformerOptions(Namespace: NodeLeaseNamespace)),
            informers.InformerFor(KindRegistry.Pods, new InformerOptions(Indexers: new Dictionary<string, IndexFunc> { [Indexers.NodeNameIndex] = Indexers.PodNodeName })),
            client, recorder, timeProvider, logger, options ?? new NodeLifecycleOptions())
    {
    }

    private NodeLifecycleController(ISharedInformer nodes, ISharedInformer leases, ISharedInformer pods, IApiClient client, IEventRecorder recorder,
        TimeProvider timeProvider, ILogger<NodeLifecycleController> logger, NodeLifecycleOptions options)
        : base("node-lifecycle", [nodes, leases, pods], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _options = options;
        _nodes = nodes;
        _leases = leases;
        _pods = pods;
        nodes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (node, _) => Enqueue(node),
            UpdateFunc = (_, node) => Enqueue(node),
            DeleteFunc = EnqueueDeleted,
        });
        leases.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (lease, _) => Enqueue(new ObjectKey("", lease.GetName() ?? "")),
            UpdateFunc = (_, lease) => Enqueue(new ObjectKey("", lease.GetName() ?? "")),
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => EnqueueAssignedPod(null, pod),
            UpdateFunc = EnqueueAssignedPod,
        });
    }

    protected override Task SyncAsync(ObjectKey key, CancellationToken cancellationToken) =>
        key.Namespace.Length == 0 ? SyncNodeAsync(key.Name, cancellationToken) : ProcessPodAsync(key, cancellationToken);

    /// <summary>A pod newly assigned to a node (upstream's podUpdated): marked not ready if that node is not Ready.</summary>
    private void EnqueueAssignedPod(JsonObject? oldPod, JsonObject pod)
    {
        var node = pod.GetString("spec", "nodeName");
        if (!string.IsNullOrEmpty(node) && (oldPod is null || oldPod.GetString("spec", "nodeName") != node))
        {
            Enqueue(pod);
        }
    }

    /// <summary>When <paramref name="nodeName"/> last showed signs of life by this controller's clock (for tests and diagnostics).</summary>
    internal DateTimeOffset? ProbeTimestamp(string nodeName) => _health.ProbeTimestamp(nodeName);

    private IReadOnlyList<JsonObject> PodsOnNode(string nodeName) => _pods.Lister.ByIndex(Indexers.NodeNameIndex, nodeName);

    private async Task ProcessPodAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pod = _pods.Lister.Get(key.Namespace, key.Name);
        var nodeName = pod?.GetString("spec", "nodeName");
        if (pod is null || string.IsNullOrEmpty(nodeName) || !_health.Knows(nodeName) || _nodes.Lister.Get(null, nodeName) is not { } node)
        {
            return;
        }
        if (NodeHealthTracker.ReadyCondition(node) is { } ready && ready.GetString("status") != "True")
        {
            await MarkPodNotReadyAsync(pod, cancellationToken).ConfigureAwait(false);
        }
    }

    private string Now() => Scheduling.MetaTimes.Format(_timeProvider.GetUtcNow());

    private static partial class Log
    {
        [LoggerMessage(EventId = 2320, Level = LogLevel.Information, Message = "Node {Node} stopped posting status; marked Unknown")]
        public static partial void NodeUnknown(ILogger logger, string node);

        [LoggerMessage(EventId = 2321, Level = LogLevel.Information, Message = "Updated taints of node {Node}")]
        public static partial void TaintsUpdated(ILogger logger, string node);

        [LoggerMessage(EventId = 2322, Level = LogLevel.Information, Message = "Marking pod {Namespace}/{Pod} not ready: node {Node} is not ready")]
        public static partial void PodNotReady(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 2323, Level = LogLevel.Information, Message = "Controller observed a new node {Node}")]
        public static partial void NodeObserved(ILogger logger, string node);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// The scheduler: binds every pod without <c>spec.nodeName</c> whose <c>schedulerName</c> is ours to a node through
/// <c>pods/binding</c>, after the filters (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity and
/// nodeSelector, NodeResourcesFit, VolumeBinding) and least-allocated scoring; claims of WaitForFirstConsumer classes
/// get the chosen node and the pod is bound once they are (<see cref="VolumeBinding"/>). Records <c>Scheduled</c> / <c>FailedScheduling</c>
/// events as <c>default-scheduler</c> and sets PodScheduled=False (Unschedulable) with the same message.
/// An unschedulable pod is retried when a node is added or changes in a way that matters for scheduling, when an
/// assigned pod is deleted or finishes (resources freed), or after 5 minutes regardless, never sooner than its
/// back-off (1 s doubling to 10 s). Pods are taken first come, first served (no priority ordering), and nothing is
/// preempted.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/scheduler (scheduler.go, schedule_one.go scheduleOne/bind/handleSchedulingFailure,
/// eventhandlers.go) in the <see cref="ControllerBase"/> shape. Any number of workers is safe: decisions and their
/// assumed resources are made under one lock, bindings run outside it.
/// </remarks>
public sealed partial class Scheduler : ControllerBase
{
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly SchedulerOptions _options;
    private readonly TypedLister<V1Pod> _pods;
    private readonly TypedLister<V1Node> _nodes;
    private readonly SharedInformer _podInformer;
    private readonly VolumeBinding _volumeBinding;
    private readonly WaitingForVolumes _waitingForVolumes = new();
    private readonly AssumedPods _assumed = new();
    private readonly UnschedulablePods _unschedulable;
    private readonly object _decisionGate = new();

    /// <summary>
    /// Workers the server runs. Decisions are serialised under one lock, so extra workers only overlap the binding
    /// POSTs (each an fsynced write) — upstream's asynchronous binding cycle after <c>assume</c>, in effect (upstream
    /// binds every assumed pod in its own goroutine, without a bound). With 4, a burst of 100 creates was bound at
    /// ~165 pods/s, each worker waiting for its write's group commit; 16 let one commit carry more bindings.
    /// </summary>
    public const int DefaultWorkers = 16;

    /// <param name="recorder">A recorder for source component <c>default-scheduler</c>.</param>
    public Scheduler(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<Scheduler> logger, SchedulerOptions? options = null)
        : this(informers.InformerFor(KindRegistry.Pods, new InformerOptions(Indexers: new Dictionary<string, IndexFunc> { [Indexers.NodeNameIndex] = Indexers.PodNodeName })),
            informers.InformerFor(KindRegistry.Nodes), informers.InformerFor(KindRegistry.PersistentVolumeClaims),
            informers.InformerFor(KindRegistry.PersistentVolumes), informers.InformerFor(KindRegistry.StorageClasses),
            client, recorder, timeProvider, logger, options ?? new SchedulerOptions())
    {
    }

    private Scheduler(SharedInformer pods, SharedInformer nodes, SharedInformer claims, SharedInformer volumes, SharedInformer classes,
        IApiClient client, IEventRecorder recorder, TimeProvider timeProvider, ILogger<Scheduler> logger, SchedulerOptions options)
        : base("scheduler", [pods, nodes, claims, volumes, classes], timeProvider, logger)
    {
        _volumeBinding = new VolumeBinding(claims, volumes, classes);
        AddVolumeEventHandlers(claims, volumes, classes);
        _client = client;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _options = options;
        _podInformer = pods;
        _pods = pods.TypedLister<V1Pod>();
        _nodes = nodes.TypedLister<V1Node>();
        _unschedulable = new UnschedulablePods(options);
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (obj, _) => OnPodAdd(obj),
            UpdateFunc = OnPodUpdate,
            DeleteFunc = (obj, _) => OnPodDelete(obj),
        });
        nodes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (_, _) => MoveAllToActive(),
            UpdateFunc = (oldNode, newNode) =>
            {
                if (NodeSchedulingPropertiesChanged(oldNode, newNode))
                {
                    MoveAllToActive();
                }
            },
        });
    }

    /// <summary>True for a pod this scheduler must place: unassigned, ours, not being deleted, not finished, not gated.</summary>
    internal bool NeedsScheduling(JsonObject pod) =>
        string.IsNullOrEmpty(pod.GetString("spec", "nodeName"))
        && (pod.GetString("spec", "schedulerName") ?? "") is var name && (name.Length == 0 || name == _options.SchedulerName)
        && pod.GetString("metadata", "deletionTimestamp") is null
        && pod.GetString("status", "phase") is not ("Succeeded" or "Failed")
        && pod.GetArray("spec", "schedulingGates") is not { Count: > 0 };

    private static bool IsAssigned(JsonObject pod) => !string.IsNullOrEmpty(pod.GetString("spec", "nodeName"));

    private static bool IsTerminal(JsonObject pod) => pod.GetString("status", "phase") is "Succeeded" or "Failed";

    private void OnPodAdd(JsonObject pod)
    {
        if (NeedsScheduling(pod))
        {
            Enqueue(pod);
        }
        else if (IsAssigned(pod) && pod.GetUid() is { } uid)
        {
            _assumed.Forget(uid);
        }
    }

    private void OnPodUpdate(JsonObject oldPod, JsonObject newPod)
    {
        if (IsAssigned(newPod))
        {
            _assumed.Forget(newPod.GetUid() ?? "");
            if (IsAssigned(oldPod) && !IsTerminal(oldPod) && IsTerminal(newPod))
            {
                MoveAllToActive();
            }
            return;
        }
        // Our own PodScheduled status writes come back as updates: only a change of the pod itself warrants a retry.
        if (NeedsScheduling(newPod) && PodChangedBesidesStatus(oldPod, newPod))
        {
            Enqueue(newPod);
        }
    }

    private void OnPodDelete(JsonObject pod)
    {
        _assumed.Forget(pod.GetUid() ?? "");
        _unschedulable.Remove(ObjectKeys.KeyOf(pod));
        _waitingForVolumes.Remove(ObjectKeys.KeyOf(pod));
        if (IsAssigned(pod))
        {
            MoveAllToActive();
        }
    }

    /// <summary>Requeues every unschedulable pod, each after what is left of its back-off.</summary>
    private void MoveAllToActive()
    {
        foreach (var (key, delay) in _unschedulable.Due(_timeProvider.GetUtcNow()))
        {
            if (delay > TimeSpan.Zero)
            {
                Queue.AddAfter(key, delay);
            }
            else
            {
                Enqueue(key);
            }
        }
    }

    private static bool PodChangedBesidesStatus(JsonObject oldPod, JsonObject newPod) =>
        !JsonNode.DeepEquals(oldPod["spec"], newPod["spec"])
        || !JsonNode.DeepEquals(oldPod.GetPath("metadata", "labels"), newPod.GetPath("metadata", "labels"))
        || !JsonNode.DeepEquals(oldPod.GetPath("metadata", "annotations"), newPod.GetPath("metadata", "annotations"));

    /// <summary>Labels, taints, cordon, allocatable or a condition's status changed (upstream's node update events worth a retry).</summary>
    private static bool NodeSchedulingPropertiesChanged(JsonObject oldNode, JsonObject newNode) =>
        !JsonNode.DeepEquals(oldNode.GetPath("metadata", "labels"), newNode.GetPath("metadata", "labels"))
        || !JsonNode.DeepEquals(oldNode.GetPath("spec", "taints"), newNode.GetPath("spec", "taints"))
        || oldNode.GetBool("spec", "unschedulable") != newNode.GetBool("spec", "unschedulable")
        || !JsonNode.DeepEquals(oldNode.GetPath("status", "allocatable"), newNode.GetPath("status", "allocatable"))
        || ConditionStatuses(oldNode) != ConditionStatuses(newNode);

    private static string ConditionStatuses(JsonObject node) =>
        string.Join(",", (node.GetArray("status", "conditions") ?? []).OfType<JsonObject>().Select(c => c.GetString("type") + "=" + c.GetString("status")));
}

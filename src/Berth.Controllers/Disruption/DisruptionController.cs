using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Disruption;

/// <summary>
/// Keeps the status of every PodDisruptionBudget current: the pods its selector matches, how many of them are healthy
/// (Ready, not terminating, not just evicted), how many must be (<c>minAvailable</c>, or the expected count minus
/// <c>maxUnavailable</c>, the expected count coming from the pods' controllers), and so how many disruptions the
/// eviction subresource may still grant. Pods the eviction subresource put into <c>status.disruptedPods</c> count as
/// gone for <see cref="DeletionTimeout"/>, after which they are dropped from the map (the PDB is re-checked then).
/// A sync that cannot compute the status fails safe: disruptionsAllowed 0 and DisruptionAllowed=False/SyncFailed.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/disruption/disruption.go (DisruptionController: addPod, updatePod,
/// deletePod, sync, trySync, getExpectedPodCount, buildDisruptedPodMap, updatePdbStatus, failSafe) in the
/// <see cref="ControllerBase"/> shape. ReplicationControllers and the generic scale finder are not there, because
/// Berth serves neither ReplicationControllers nor custom resources.
/// </remarks>
public sealed partial class DisruptionController : ControllerBase
{
    /// <summary>
    /// How long a pod listed in <c>status.disruptedPods</c> is assumed to be on its way out (upstream DeletionTimeout).
    /// The eviction subresource writes the entry just before it deletes the pod.
    /// </summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly SharedInformer _pdbs;
    private readonly SharedInformer _pods;
    private readonly ExpectedScale _scale;

    /// <param name="recorder">A recorder for source component <c>controllermanager</c> (upstream's disruption recorder).</param>
    public DisruptionController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<DisruptionController> logger)
        : this(informers.InformerFor(KindRegistry.PodDisruptionBudgets), informers.InformerFor(KindRegistry.Pods),
            new ExpectedScale(informers.InformerFor(KindRegistry.ReplicaSets), informers.InformerFor(KindRegistry.Deployments),
                informers.InformerFor(KindRegistry.StatefulSets)), client, recorder, timeProvider, logger)
    {
    }

    private DisruptionController(SharedInformer pdbs, SharedInformer pods, ExpectedScale scale, IApiClient client, IEventRecorder recorder,
        TimeProvider timeProvider, ILogger<DisruptionController> logger)
        : base("disruption", [pdbs, pods, .. scale.Informers], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _time = timeProvider;
        _pdbs = pdbs;
        _pods = pods;
        _scale = scale;
        pdbs.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pdb, _) => Enqueue(pdb),
            UpdateFunc = (_, pdb) => Enqueue(pdb),
            DeleteFunc = EnqueueDeleted,
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => EnqueuePdbsForPod(pod),
            UpdateFunc = (_, pod) => EnqueuePdbsForPod(pod),
            DeleteFunc = (pod, _) => EnqueuePdbsForPod(pod),
        });
    }

    /// <summary>
    /// Enqueues the budgets selecting <paramref name="pod"/> (upstream getPdbForPod). Upstream enqueues only the first
    /// of several; we enqueue all of them, and warn as upstream does that the pod matches more than one.
    /// </summary>
    private void EnqueuePdbsForPod(JsonObject pod)
    {
        var pdbs = GetPodDisruptionBudgets(pod);
        if (pdbs.Count > 1)
        {
            _recorder.Eventf(pod, EventTypes.Warning, "MultiplePodDisruptionBudgets",
                "Pod \"{0}\"/\"{1}\" matches multiple PodDisruptionBudgets.  Chose \"{2}\" arbitrarily.",
                pod.GetNamespace(), pod.GetName(), pdbs[0].GetName());
        }
        foreach (var pdb in pdbs)
        {
            Enqueue(pdb);
        }
    }

    /// <summary>
    /// The cached budgets of the pod's namespace whose selector matches its labels; a pod without labels has none.
    /// In policy/v1 an empty selector matches every pod, a missing one none (lister GetPodPodDisruptionBudgets).
    /// </summary>
    private List<JsonObject> GetPodDisruptionBudgets(JsonObject pod)
    {
        var labels = pod.GetLabels();
        if (labels.Count == 0)
        {
            return [];
        }
        return [.. _pdbs.Lister.List(pod.GetNamespace()).Where(pdb => SelectorOf(pdb) is { } s && s.Matches(labels))];
    }

    /// <summary>The budget's selector, or null when it cannot be parsed (such a budget selects nothing).</summary>
    internal static LabelSelector? SelectorOf(JsonObject pdb)
    {
        try
        {
            return LabelSelector.FromLabelSelectorJson(pdb.GetObject("spec", "selector"));
        }
        catch (Machinery.Errors.ApiException)
        {
            return null;
        }
    }
}

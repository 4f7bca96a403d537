using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Deployment;

/// <summary>
/// Rolls Deployments out through ReplicaSets: the ReplicaSet whose template equals the Deployment's (ignoring the
/// <c>pod-template-hash</c> label) is the new one, named <c>&lt;deployment&gt;-&lt;hash&gt;</c>; all others are old.
/// RollingUpdate grows the new set and shrinks the old ones within maxSurge/maxUnavailable; Recreate scales the old
/// sets to zero, waits until none of their pods is left (terminating ones included) and then scales the new one up.
/// Scaling events and paused Deployments resize proportionally without rolling. Revisions, revision history and the
/// Progressing/Available conditions are kept the way <c>kubectl rollout status|history|undo</c> reads them.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/deployment (deployment_controller.go, sync.go, rolling.go,
/// recreate.go, progress.go) in the <see cref="ControllerBase"/> shape. Each sync works on deep copies: a write that
/// succeeds is folded back into the copy, and a failed write throws, which re-queues the key with backoff.
/// </remarks>
public sealed partial class DeploymentController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _deployments;
    private readonly SharedInformer _replicaSets;
    private readonly SharedInformer _pods;

    /// <param name="recorder">A recorder for source component <c>deployment-controller</c>.</param>
    public DeploymentController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<DeploymentController> logger)
        : this(informers.InformerFor(KindRegistry.Deployments), informers.InformerFor(KindRegistry.ReplicaSets),
            informers.InformerFor(KindRegistry.Pods), client, recorder, timeProvider, logger)
    {
    }

    private DeploymentController(SharedInformer deployments, SharedInformer replicaSets, SharedInformer pods, IApiClient client,
        IEventRecorder recorder, TimeProvider timeProvider, ILogger<DeploymentController> logger)
        : base("deployment", [deployments, replicaSets, pods], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _deployments = deployments;
        _replicaSets = replicaSets;
        _pods = pods;
        deployments.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (d, _) => Enqueue(d),
            UpdateFunc = (_, d) => Enqueue(d),
            DeleteFunc = EnqueueDeleted,
        });
        replicaSets.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (rs, _) => EnqueueOwnerOrMatching(rs),
            UpdateFunc = UpdateReplicaSet,
            DeleteFunc = (rs, _) => EnqueueOwner(rs),
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs { DeleteFunc = (pod, _) => DeletePod(pod) });
    }

    private void UpdateReplicaSet(JsonObject oldRs, JsonObject rs)
    {
        if (oldRs.GetResourceVersion() == rs.GetResourceVersion())
        {
            return;
        }
        if (OwnerReferences.GetControllerOf(oldRs)?.GetString("uid") != OwnerReferences.GetControllerOf(rs)?.GetString("uid"))
        {
            EnqueueOwner(oldRs);
        }
        EnqueueOwnerOrMatching(rs);
    }

    private void EnqueueOwnerOrMatching(JsonObject rs)
    {
        if (OwnerReferences.GetControllerOf(rs) is not null)
        {
            EnqueueOwner(rs);
            return;
        }
        foreach (var d in _deployments.Lister.List(rs.GetNamespace()))
        {
            var selector = LabelSelector.FromLabelSelectorJson(d.GetObject("spec", "selector"));
            if (!selector.IsEmpty && selector.MatchesObject(rs))
            {
                Enqueue(d);
            }
        }
    }

    private void EnqueueOwner(JsonObject rs)
    {
        if (ResolveControllerRef(rs) is { } d)
        {
            Enqueue(d);
        }
    }

    /// <summary>Recreate waits for the old pods to be gone: each pod deletion may unblock it.</summary>
    private void DeletePod(JsonObject pod)
    {
        if (OwnerReferences.GetControllerOf(pod) is { } podRef && podRef.GetString("kind") == KindRegistry.ReplicaSets.Kind &&
            _replicaSets.Lister.Get(pod.GetNamespace(), podRef.GetString("name") ?? "") is { } rs && rs.GetUid() == podRef.GetString("uid") &&
            ResolveControllerRef(rs) is { } d && !DeploymentUtil.IsRollingUpdate(d))
        {
            Enqueue(d);
        }
    }

    /// <summary>The cached Deployment a ReplicaSet's controller reference names, when kind and UID match.</summary>
    private JsonObject? ResolveControllerRef(JsonObject rs)
    {
        if (OwnerReferences.GetControllerOf(rs) is not { } controllerRef || controllerRef.GetString("kind") != KindRegistry.Deployments.Kind)
        {
            return null;
        }
        var d = _deployments.Lister.Get(rs.GetNamespace(), controllerRef.GetString("name") ?? "");
        return d?.GetUid() == controllerRef.GetString("uid") ? d : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Created ReplicaSet {Namespace}/{Name} for deployment {Deployment}")]
        public static partial void CreatedReplicaSet(ILogger logger, string @namespace, string name, string deployment);

        [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Hash collision for ReplicaSet {Namespace}/{Name}, collisionCount now {Count}")]
        public static partial void HashCollision(ILogger logger, string @namespace, string name, long count);

        [LoggerMessage(EventId = 2602, Level = LogLevel.Debug, Message = "Scaling ReplicaSet {Namespace}/{Name} from {From} to {To}")]
        public static partial void Scaling(ILogger logger, string @namespace, string name, int from, int to);

        [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Deleting old ReplicaSet {Namespace}/{Name} (revision history limit)")]
        public static partial void CleaningUp(ILogger logger, string @namespace, string name);
    }
}

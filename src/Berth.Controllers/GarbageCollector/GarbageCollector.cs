using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.GarbageCollector;

/// <summary>
/// Deletes objects whose owners are gone and carries out the <c>propagationPolicy</c> of owner deletes. A graph of
/// owner references is built from informers over every kind that carries them here; its UIDs are the queue keys
/// (<see cref="ObjectKey.Name"/> is the UID). One level-triggered sync per UID handles the object in both roles:
/// as an owner with the <c>orphan</c> finalizer it strips its references from the dependents, then the finalizer;
/// as an owner with <c>foregroundDeletion</c> it deletes the dependents and drops the finalizer once no blocking
/// dependent is left; as a dependent whose owners are all gone (or waiting for it in the foreground) it is deleted
/// (pods gracefully, with their own grace period), and references to gone owners beside a live one are removed.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/garbagecollector (garbagecollector.go: attemptToDeleteItem,
/// processDeletingDependentsItem, orphanDependents, classifyReferences; graph_builder.go). Deviations: one queue
/// instead of attemptToDelete/attemptToOrphan; owners absent from the graph are checked with a live GET (upstream
/// checks every owner live, with an absent-owner cache); only the kinds listed in <see cref="WatchedKinds"/> are
/// collected.
/// </remarks>
public sealed partial class GarbageCollector : ControllerBase
{
    /// <summary>The kinds whose objects the collector tracks, as dependents and as owners.</summary>
    public static readonly IReadOnlyList<ResourceKind> WatchedKinds =
    [
        KindRegistry.Pods, KindRegistry.ReplicaSets, KindRegistry.Deployments, KindRegistry.StatefulSets, KindRegistry.DaemonSets,
        KindRegistry.ControllerRevisions, KindRegistry.Jobs, KindRegistry.CronJobs, KindRegistry.EndpointSlices, KindRegistry.Services,
        KindRegistry.PersistentVolumeClaims,
    ];

    private readonly IApiClient _client;
    private readonly IReadOnlyList<SharedInformer> _informers;

    public GarbageCollector(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider, ILogger<GarbageCollector> logger)
        : this([.. WatchedKinds.Select(k => informers.InformerFor(k))], client, timeProvider, logger)
    {
    }

    private GarbageCollector(IReadOnlyList<SharedInformer> informers, IApiClient client, TimeProvider timeProvider, ILogger<GarbageCollector> logger)
        : base("garbagecollector", informers, timeProvider, logger)
    {
        _client = client;
        _informers = informers;
        foreach (var informer in informers)
        {
            var kind = informer.Kind;
            informer.AddEventHandler(new ResourceEventHandlerFuncs
            {
                AddFunc = (obj, _) => EnqueueAll(Graph.Upsert(kind, obj)),
                UpdateFunc = (_, obj) => EnqueueAll(Graph.Upsert(kind, obj)),
                DeleteFunc = (obj, _) => EnqueueAll(Graph.Remove(obj)),
            });
        }
    }

    /// <summary>The owner graph; written by informer handlers, read by syncs.</summary>
    internal DependencyGraph Graph { get; } = new();

    /// <summary>
    /// The dependents of <paramref name="ownerUid"/>: the graph's, plus any the informer caches already hold but the
    /// graph has not been told about yet (handlers run behind the caches), so that orphaning and the foreground wait
    /// do not miss a dependent created just before the owner's delete.
    /// </summary>
    private IReadOnlyList<DependentView> DependentsOf(NodeView owner, string? ns)
    {
        var result = owner.Dependents.ToDictionary(d => d.Uid);
        foreach (var informer in _informers)
        {
            foreach (var obj in informer.Lister.List(ns))
            {
                var reference = OwnerRef.Of(obj).FirstOrDefault(r => r.Uid == owner.Uid);
                if (reference is not null && obj.GetUid() is { } uid && !result.ContainsKey(uid))
                {
                    result[uid] = new DependentView(uid, informer.Kind, obj, reference.BlockOwnerDeletion, GcFinalizers.IsDeletingDependents(obj));
                }
            }
        }
        return [.. result.Values];
    }

    private void EnqueueAll(IReadOnlyCollection<string> uids)
    {
        foreach (var uid in uids)
        {
            Enqueue(new ObjectKey("", uid));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Deleting {Resource} {Namespace}/{Name} (uid {Uid}) with propagation {Policy}: no live owner")]
        public static partial void Deleting(ILogger logger, string resource, string @namespace, string name, string uid, string policy);

        [LoggerMessage(EventId = 2501, Level = LogLevel.Debug, Message = "Removing owner references {Owners} from {Resource} {Namespace}/{Name}")]
        public static partial void RemovingReferences(ILogger logger, string owners, string resource, string @namespace, string name);

        [LoggerMessage(EventId = 2502, Level = LogLevel.Debug, Message = "Removing finalizer {Finalizer} from {Resource} {Namespace}/{Name}")]
        public static partial void RemovingFinalizer(ILogger logger, string finalizer, string resource, string @namespace, string name);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// Keeps the EndpointSlices of every Service with a selector equal to its pods: conditions per
/// kubernetes-termination.md §3.1, at most 100 endpoints per slice, ports resolved per pod, owner reference and
/// labels set. Pod, Service and slice events only enqueue the Service key; there is no batching delay, so a pod's
/// deletionTimestamp reaches its slice one sync after the watch event. Services that are gone get their managed
/// slices deleted here at once; the garbage collector would also remove them through their owner reference (upstream
/// leaves it to the collector alone), and whichever comes second finds them gone, which both treat as done.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/endpointslice/endpointslice_controller.go (NewController, syncService,
/// onPodUpdate, onEndpointSliceUpdate); the diffing is <see cref="EndpointSliceReconciler"/>.
/// </remarks>
public sealed partial class EndpointSliceController : ControllerBase
{
    /// <summary>Upstream's <c>--concurrent-service-endpoint-syncs</c> default.</summary>
    public const int DefaultWorkers = 5;

    private readonly ISharedInformer _services;
    private readonly ISharedInformer _pods;
    private readonly ISharedInformer _slices;
    private readonly EndpointSliceReconciler _reconciler;

    /// <summary>Written by workers after each write; read by slice event handlers to skip our own writes.</summary>
    private readonly EndpointSliceTracker _tracker = new();
    private readonly TrackedSliceWriter _writer;

    public EndpointSliceController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider,
        ILogger<EndpointSliceController> logger, int maxEndpointsPerSlice = EndpointSliceReconciler.MaxEndpointsPerSlice)
        : this(informers.InformerFor(KindRegistry.Services), informers.InformerFor(KindRegistry.Pods),
            informers.InformerFor(KindRegistry.EndpointSlices), client, timeProvider, logger, maxEndpointsPerSlice)
    {
    }

    private EndpointSliceController(ISharedInformer services, ISharedInformer pods, ISharedInformer slices, IApiClient client,
        TimeProvider timeProvider, ILogger logger, int maxEndpointsPerSlice)
        : base("endpointslice", [services, pods, slices], timeProvider, logger)
    {
        _writer = new TrackedSliceWriter(client, _tracker);
        _services = services;
        _pods = pods;
        _slices = slices;
        _reconciler = new EndpointSliceReconciler(maxEndpointsPerSlice);
        services.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (svc, _) => Enqueue(svc),
            UpdateFunc = (_, svc) => Enqueue(svc),
            DeleteFunc = EnqueueDeleted,
        });
        pods.AddEventHandler(ServicePodHandlers.For(services, Enqueue));
        slices.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (slice, _) => OnSliceEvent(slice, deleted: false),
            UpdateFunc = (_, slice) => OnSliceEvent(slice, deleted: false),
            DeleteFunc = (slice, _) => OnSliceEvent(slice, deleted: true),
        });
    }

    /// <summary>A managed slice changed by someone else (or deleted): resync its Service.</summary>
    private void OnSliceEvent(JsonObject slice, bool deleted)
    {
        if (!EndpointSliceLabels.IsManaged(slice))
        {
            return;
        }
        var service = new ObjectKey(slice.GetNamespace() ?? "", slice.GetStringMap("metadata", "labels")[EndpointSliceLabels.ServiceName]);
        if (_tracker.ShouldSync(service, slice, deleted))
        {
            Enqueue(service);
        }
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var existing = _slices.Lister.List(key.Namespace, labels => labels.TryGetValue(EndpointSliceLabels.ServiceName, out var name) && name == key.Name)
            .Where(s => EndpointSliceLabels.IsManaged(s, key.Name)).ToList();
        existing = _tracker.Overlay(key, existing);
        var svc = _services.Lister.Get(key.Namespace, key.Name);
        if (svc is null)
        {
            foreach (var slice in existing)
            {
                await _writer.DeleteAsync(key, slice, cancellationToken).ConfigureAwait(false);
            }
            _tracker.DeleteService(key);
            return;
        }
        // ExternalName Services and Services without a selector have no managed endpoints (upstream leaves them alone).
        if (svc.GetString("spec", "type") == "ExternalName" || EndpointPods.ServiceSelector(svc) is not { } selector)
        {
            return;
        }
        var pods = _pods.Lister.List(key.Namespace, labels => EndpointPods.Matches(selector, labels));
        var plan = _reconciler.Reconcile(svc, pods, existing);
        if (!plan.IsEmpty)
        {
            await ApplyAsync(key, plan, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates, then updates, then deletes, recording each write in the tracker.</summary>
    private async Task ApplyAsync(ObjectKey key, SlicePlan plan, CancellationToken cancellationToken)
    {
        foreach (var slice in plan.ToCreate)
        {
            await _writer.CreateAsync(key, slice, cancellationToken).ConfigureAwait(false);
        }
        foreach (var slice in plan.ToUpdate)
        {
            await _writer.UpdateAsync(key, slice, cancellationToken).ConfigureAwait(false);
        }
        foreach (var slice in plan.ToDelete)
        {
            await _writer.DeleteAsync(key, slice, cancellationToken).ConfigureAwait(false);
        }
        Log.Synced(Logger, key.ToString(), plan.ToCreate.Count, plan.ToUpdate.Count, plan.ToDelete.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Synced EndpointSlices of service {Service}: {Created} created, {Updated} updated, {Deleted} deleted")]
        public static partial void Synced(ILogger logger, string service, int created, int updated, int deleted);
    }
}

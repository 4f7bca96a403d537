using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.EndpointSliceMirroring;

/// <summary>
/// Mirrors hand-written v1 Endpoints into EndpointSlices (<see cref="MirroredSlices"/>), which the service proxy and
/// the cluster DNS read: for every Endpoints object whose Service exists and has no selector, unless it is labelled
/// <c>endpointslice.kubernetes.io/skip-mirror: "true"</c>. The mirrored slices are updated in place, created or
/// deleted to match, and deleted when the Endpoints or the Service goes or the Service gains a selector. Keys are the
/// Endpoints' (equal to the Service's) namespace/name.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/endpointslicemirroring/endpointslicemirroring_controller.go (syncEndpoints).</remarks>
public sealed partial class EndpointSliceMirroringController : ControllerBase
{
    /// <summary>Upstream's <c>--mirroring-concurrent-service-endpoint-syncs</c> default.</summary>
    public const int DefaultWorkers = 5;

    private readonly ISharedInformer _services;
    private readonly ISharedInformer _endpoints;
    private readonly ISharedInformer _slices;

    /// <summary>Our own writes, so that a sync ahead of the informer neither duplicates nor resurrects a slice.</summary>
    private readonly EndpointSliceTracker _tracker = new();
    private readonly TrackedSliceWriter _writer;

    public EndpointSliceMirroringController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider,
        ILogger<EndpointSliceMirroringController> logger)
        : base("endpointslice-mirroring", [informers.InformerFor(KindRegistry.Services), informers.InformerFor(KindRegistry.Endpoints),
            informers.InformerFor(KindRegistry.EndpointSlices)], timeProvider, logger)
    {
        _writer = new TrackedSliceWriter(client, _tracker);
        _services = informers.InformerFor(KindRegistry.Services);
        _endpoints = informers.InformerFor(KindRegistry.Endpoints);
        _slices = informers.InformerFor(KindRegistry.EndpointSlices);
        var byKey = new ResourceEventHandlerFuncs
        {
            AddFunc = (obj, _) => Enqueue(obj),
            UpdateFunc = (_, obj) => Enqueue(obj),
            DeleteFunc = EnqueueDeleted,
        };
        _services.AddEventHandler(byKey);
        _endpoints.AddEventHandler(byKey);
        _slices.AddEventHandler(new ResourceEventHandlerFuncs
        {
            UpdateFunc = (_, slice) => OnSliceEvent(slice, deleted: false),
            DeleteFunc = (slice, _) => OnSliceEvent(slice, deleted: true),
        });
    }

    /// <summary>A mirrored slice changed or deleted by someone else: resync its Endpoints.</summary>
    private void OnSliceEvent(JsonObject slice, bool deleted)
    {
        var labels = slice.GetStringMap("metadata", "labels");
        if (labels.TryGetValue(EndpointSliceLabels.ServiceName, out var service) && MirroredSlices.IsMirrored(slice, service))
        {
            var key = new ObjectKey(slice.GetNamespace() ?? "", service);
            if (_tracker.ShouldSync(key, slice, deleted))
            {
                Enqueue(key);
            }
        }
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cached = _slices.Lister.List(key.Namespace, labels => labels.TryGetValue(EndpointSliceLabels.ServiceName, out var name) && name == key.Name)
            .Where(s => MirroredSlices.IsMirrored(s, key.Name)).ToList();
        var existing = _tracker.Overlay(key, cached).OrderBy(s => s.GetName(), StringComparer.Ordinal).ToList();
        var endpoints = _endpoints.Lister.Get(key.Namespace, key.Name);
        var svc = _services.Lister.Get(key.Namespace, key.Name);
        var mirror = endpoints is not null && svc is not null && EndpointPods.ServiceSelector(svc) is null &&
            endpoints.GetString("metadata", "labels", MirroredSlices.SkipMirrorLabel) != "true";
        var desired = mirror ? MirroredSlices.For(endpoints!) : [];
        for (var i = 0; i < desired.Count; i++)
        {
            if (i < existing.Count)
            {
                await UpdateIfChangedAsync(key, existing[i], desired[i], cancellationToken).ConfigureAwait(false);
                continue;
            }
            await CreateAsync(key, desired[i], cancellationToken).ConfigureAwait(false);
        }
        foreach (var surplus in existing.Skip(desired.Count))
        {
            await DeleteAsync(key, surplus, cancellationToken).ConfigureAwait(false);
        }
        if (endpoints is null)
        {
            _tracker.DeleteService(key);
        }
        Log.Synced(Logger, key.ToString(), desired.Count);
    }

    private async Task UpdateIfChangedAsync(ObjectKey key, JsonObject current, JsonObject desired, CancellationToken cancellationToken)
    {
        var updated = current.DeepClone().AsObject();
        foreach (var field in (string[])["addressType", "endpoints", "ports"])
        {
            updated[field] = desired[field]!.DeepClone();
        }
        foreach (var field in (string[])["labels", "annotations", "ownerReferences"])
        {
            updated.Metadata().Remove(field);
            if (desired.GetObject("metadata")![field] is { } value)
            {
                updated.Metadata()[field] = value.DeepClone();
            }
        }
        if (JsonNode.DeepEquals(updated, current))
        {
            return;
        }
        if (updated.GetString("addressType") != current.GetString("addressType"))
        {
            // addressType is immutable: replace the slice.
            await DeleteAsync(key, current, cancellationToken).ConfigureAwait(false);
            await CreateAsync(key, desired, cancellationToken).ConfigureAwait(false);
            return;
        }
        await _writer.UpdateAsync(key, updated, cancellationToken).ConfigureAwait(false);
    }

    private Task CreateAsync(ObjectKey key, JsonObject slice, CancellationToken cancellationToken)
    {
        slice.Metadata()["generateName"] = key.Name + "-";
        return _writer.CreateAsync(key, slice, cancellationToken);
    }

    private Task DeleteAsync(ObjectKey key, JsonObject slice, CancellationToken cancellationToken) =>
        _writer.DeleteAsync(key, slice, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4130, Level = LogLevel.Debug, Message = "Mirrored the Endpoints of {Service} into {Slices} EndpointSlices")]
        public static partial void Synced(ILogger logger, string service, int slices);
    }
}

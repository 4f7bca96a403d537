using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Endpoints;

/// <summary>
/// Keeps the v1 Endpoints object of every Service with a selector equal to its pods (<see cref="EndpointSubsets"/>):
/// a terminating pod leaves at once unless publishNotReadyAddresses. The object carries the Service's labels (plus the
/// headless marker) and <c>endpoints.kubernetes.io/last-change-trigger-time</c>; it is written only when subsets or
/// labels change, and deleted with its Service.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/endpoint/endpoints_controller.go (syncService). Deviation: the trigger
/// time is when this controller first saw a change not yet written, not the pod's own transition time.
/// </remarks>
public sealed partial class EndpointsController : ControllerBase
{
    public const string LastChangeTriggerTime = "endpoints.kubernetes.io/last-change-trigger-time";

    /// <summary>Upstream's <c>--concurrent-endpoint-syncs</c> default.</summary>
    public const int DefaultWorkers = 5;

    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ISharedInformer _services;
    private readonly ISharedInformer _pods;
    private readonly ISharedInformer _endpoints;

    /// <summary>Per Service, the first unsynced change seen by a handler; taken by the sync that writes it.</summary>
    private readonly ConcurrentDictionary<ObjectKey, DateTimeOffset> _triggerTimes = new();

    public EndpointsController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider, ILogger<EndpointsController> logger)
        : this(informers.InformerFor(KindRegistry.Services), informers.InformerFor(KindRegistry.Pods),
            informers.InformerFor(KindRegistry.Endpoints), client, timeProvider, logger)
    {
    }

    private EndpointsController(ISharedInformer services, ISharedInformer pods, ISharedInformer endpoints, IApiClient client,
        TimeProvider timeProvider, ILogger logger)
        : base("endpoint", [services, pods, endpoints], timeProvider, logger)
    {
        _client = client;
        _time = timeProvider;
        _services = services;
        _pods = pods;
        _endpoints = endpoints;
        services.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (svc, _) => Trigger(ObjectKeys.KeyOf(svc)),
            UpdateFunc = (_, svc) => Trigger(ObjectKeys.KeyOf(svc)),
            DeleteFunc = EnqueueDeleted,
        });
        pods.AddEventHandler(ServicePodHandlers.For(services, Trigger));
        endpoints.AddEventHandler(new ResourceEventHandlerFuncs { DeleteFunc = EnqueueDeleted });
    }

    private void Trigger(ObjectKey key)
    {
        _triggerTimes.TryAdd(key, _time.GetUtcNow());
        Enqueue(key);
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var svc = _services.Lister.Get(key.Namespace, key.Name);
        if (svc is null)
        {
            _triggerTimes.TryRemove(key, out _);
            await DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Services without a selector (headless ones included) have Endpoints written by hand; ExternalName has none.
        if (svc.GetString("spec", "type") == "ExternalName" || EndpointPods.ServiceSelector(svc) is not { } selector)
        {
            return;
        }
        var pods = _pods.Lister.List(key.Namespace, labels => EndpointPods.Matches(selector, labels));
        var subsets = EndpointSubsets.For(svc, pods);
        var labels = EndpointSliceLabels.For(svc);
        labels.Remove(EndpointSliceLabels.ServiceName);
        labels.Remove(EndpointSliceLabels.ManagedBy);
        var current = _endpoints.Lister.Get(key.Namespace, key.Name);
        if (current is not null && JsonNode.DeepEquals(current["subsets"] ?? new JsonArray(), subsets) &&
            JsonNode.DeepEquals(current.GetObject("metadata", "labels") ?? [], labels))
        {
            return;
        }
        await WriteAsync(key, current, subsets, labels, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(ObjectKey key, JsonObject? current, JsonArray subsets, JsonObject labels, CancellationToken cancellationToken)
    {
        var trigger = _triggerTimes.TryRemove(key, out var seen) ? seen : _time.GetUtcNow();
        var endpoints = current?.DeepClone().AsObject() ?? new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject { ["name"] = key.Name, ["namespace"] = key.Namespace },
        };
        if (labels.Count > 0)
        {
            endpoints.Metadata()["labels"] = labels;
        }
        else
        {
            endpoints.Metadata().Remove("labels");
        }
        endpoints.SetPath(trigger.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            "metadata", "annotations", LastChangeTriggerTime);
        endpoints["subsets"] = subsets;
        if (current is null)
        {
            await _client.CreateAsync(KindRegistry.Endpoints, key.Namespace, endpoints, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _client.UpdateAsync(KindRegistry.Endpoints, key.Namespace, endpoints, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        Log.Written(Logger, key.ToString(), subsets.Count);
    }

    private async Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_endpoints.Lister.Get(key.Namespace, key.Name) is null)
        {
            return;
        }
        try
        {
            await _client.DeleteAsync(KindRegistry.Endpoints, key.Namespace, key.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Wrote Endpoints of service {Service} with {Subsets} subsets")]
        public static partial void Written(ILogger logger, string service, int subsets);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ServiceLB;

/// <summary>
/// The load balancer of a one-machine cluster: every Service of <c>type: LoadBalancer</c> without a
/// <c>loadBalancerClass</c> gets the server's address in <c>status.loadBalancer.ingress</c>, and the service proxy
/// then serves its ports on that address (as kube-proxy programs a load balancer's ingress IPs), so that
/// <c>kubectl get svc</c> shows an EXTERNAL-IP and <c>curl ADDRESS:PORT</c> reaches the pods, as k3s's ServiceLB and
/// Docker Desktop do. A port (and protocol) can be served once per address: a Service whose port is already taken by
/// an older load balancer, or by the API server, stays <c>&lt;pending&gt;</c> with a <c>SyncLoadBalancerFailed</c>
/// event until the port frees up. A Service that stops being a LoadBalancer loses its ingress.
/// </summary>
/// <remarks>
/// Mirrors k8s.io/cloud-provider controllers/service/controller.go (syncLoadBalancerIfNeeded; the events
/// EnsuringLoadBalancer, EnsuredLoadBalancer, SyncLoadBalancerFailed) with the machine as the cloud. One worker: the
/// table of taken ports (<see cref="_assigned"/>) is only touched by syncs, which therefore never race each other;
/// it is rebuilt from the cache before the first sync, so a restarted server keeps every address it gave out.
/// </remarks>
public sealed partial class ServiceLoadBalancerController : ControllerBase
{
    public const int DefaultWorkers = 1;
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly ISharedInformer _services;
    private readonly ServiceLoadBalancerOptions _options;
    private readonly string _address;
    private readonly Dictionary<ObjectKey, HashSet<string>> _assigned = [];
    private bool _initialised;

    /// <param name="recorder">A recorder for source component <c>service-controller</c>.</param>
    public ServiceLoadBalancerController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder,
        TimeProvider timeProvider, ILogger<ServiceLoadBalancerController> logger, ServiceLoadBalancerOptions options)
        : base("service-lb", [informers.InformerFor(KindRegistry.Services)], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _options = options;
        _address = options.Address.ToString();
        _services = informers.InformerFor(KindRegistry.Services);
        _services.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (service, _) => Enqueue(service),
            UpdateFunc = (_, service) => Enqueue(service),
            DeleteFunc = (service, tombstone) => EnqueueDeleted(service, tombstone),
        });
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        InitialiseOnce();
        var service = _services.Lister.Get(key.Namespace, key.Name);
        if (service is null || !WantsLoadBalancer(service))
        {
            if (service is not null && HasIngress(service))
            {
                await WriteIngressAsync(service, ingress: false, cancellationToken).ConfigureAwait(false);
            }
            Release(key);
            return;
        }
        var ports = PortsOf(service);
        if (Conflict(key, ports) is { } conflict)
        {
            if (HasIngress(service))
            {
                await WriteIngressAsync(service, ingress: false, cancellationToken).ConfigureAwait(false);
                Release(key);
            }
            _recorder.Event(service, EventTypes.Warning, "SyncLoadBalancerFailed",
                $"Error syncing load balancer: failed to ensure load balancer: {conflict}");
            return;
        }
        _assigned[key] = ports;
        if (HasIngress(service))
        {
            return;
        }
        _recorder.Event(service, EventTypes.Normal, "EnsuringLoadBalancer", "Ensuring load balancer");
        await WriteIngressAsync(service, ingress: true, cancellationToken).ConfigureAwait(false);
        _recorder.Event(service, EventTypes.Normal, "EnsuredLoadBalancer", "Ensured load balancer");
        Log.Ensured(Logger, key.Namespace, key.Name, _address);
    }

    /// <summary>A LoadBalancer Service that no other load-balancer implementation claims (<c>loadBalancerClass</c> unset).</summary>
    public static bool WantsLoadBalancer(JsonObject service) =>
        service.GetString("spec", "type") == "LoadBalancer" && string.IsNullOrEmpty(service.GetString("spec", "loadBalancerClass"));

    private bool HasIngress(JsonObject service) =>
        service["status"]?["loadBalancer"]?["ingress"] is JsonArray ingress
        && ingress.Any(i => i is JsonObject o && o.GetString("ip") == _address);

    /// <summary>The Service's ports as "80/TCP".</summary>
    private static HashSet<string> PortsOf(JsonObject service) =>
        [.. (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => $"{p.GetLong("port")}/{p.GetString("protocol") ?? "TCP"}")];

    /// <summary>Why <paramref name="ports"/> cannot be served on the address, or null when all are free.</summary>
    private string? Conflict(ObjectKey key, HashSet<string> ports)
    {
        if (ports.FirstOrDefault(_options.ReservedPorts.Contains) is { } reserved)
        {
            return $"port {reserved} of {_address} is used by the API server";
        }
        foreach (var (holder, taken) in _assigned)
        {
            if (holder != key && ports.FirstOrDefault(taken.Contains) is { } port)
            {
                return $"port {port} of {_address} is used by the load balancer of {holder.Namespace}/{holder.Name}";
            }
        }
        return null;
    }

    /// <summary>Frees the Service's ports and wakes the LoadBalancer Services still waiting for an address.</summary>
    private void Release(ObjectKey key)
    {
        if (!_assigned.Remove(key))
        {
            return;
        }
        foreach (var service in _services.Lister.List())
        {
            if (WantsLoadBalancer(service) && !HasIngress(service))
            {
                Enqueue(service);
            }
        }
    }

    /// <summary>Before the first sync (the cache is synced then): the Services that hold the address keep their ports.</summary>
    private void InitialiseOnce()
    {
        if (_initialised)
        {
            return;
        }
        _initialised = true;
        foreach (var service in _services.Lister.List())
        {
            if (WantsLoadBalancer(service) && HasIngress(service))
            {
                _assigned[ObjectKeys.KeyOf(service)] = PortsOf(service);
            }
        }
    }

    /// <summary>Writes <c>status.loadBalancer</c> through <c>/status</c>: the address, or nothing. A conflict is retried by the queue.</summary>
    private async Task WriteIngressAsync(JsonObject service, bool ingress, CancellationToken cancellationToken)
    {
        var copy = service.DeepClone().AsObject();
        var loadBalancer = ingress
            ? new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = _address, ["ipMode"] = "VIP" }) }
            : new JsonObject();
        copy["status"] = new JsonObject { ["loadBalancer"] = loadBalancer };
        await _client.UpdateAsync(KindRegistry.Services, copy.GetNamespace(), copy, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2990, EventName = "LoadBalancerEnsured", Level = LogLevel.Information,
            Message = "Service {Namespace}/{Name} is served as a load balancer on {Address}")]
        public static partial void Ensured(ILogger logger, string @namespace, string name, string address);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Core.ResourceQuotas;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ResourceQuota;

/// <summary>
/// Keeps every ResourceQuota's status current: <c>status.hard</c> mirrors <c>spec.hard</c> and <c>status.used</c> is
/// recomputed from the namespace's objects (<see cref="QuotaUsage"/>), level-triggered. A quota is synced when it
/// changes, when a pod of its namespace changes, and every <see cref="ResyncInterval"/> (for object counts of other
/// kinds, which it lists at sync time). Admission charges quotas ahead of the objects; this controller corrects them
/// (for example after a charged create failed). Scoped quotas get their hard but no usage.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/resourcequota/resource_quota_controller.go (syncResourceQuota,
/// replenishment on pod changes, the periodic full resync) in the <see cref="ControllerBase"/> shape.
/// </remarks>
public sealed partial class ResourceQuotaController : ControllerBase
{
    /// <summary>How often each quota is recomputed regardless of events (upstream's full resync is 5 minutes).</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(30);

    private readonly IApiClient _client;
    private readonly SharedInformer _quotas;
    private readonly SharedInformer _pods;

    public ResourceQuotaController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider, ILogger<ResourceQuotaController> logger)
        : this(informers.InformerFor(KindRegistry.ResourceQuotas), informers.InformerFor(KindRegistry.Pods), client, timeProvider, logger)
    {
    }

    private ResourceQuotaController(SharedInformer quotas, SharedInformer pods, IApiClient client, TimeProvider timeProvider,
        ILogger<ResourceQuotaController> logger)
        : base("resourcequota", [quotas, pods], timeProvider, logger)
    {
        _client = client;
        _quotas = quotas;
        _pods = pods;
        quotas.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (quota, _) => Enqueue(quota),
            UpdateFunc = (_, quota) => Enqueue(quota),
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => EnqueueNamespace(pod),
            UpdateFunc = (old, pod) => EnqueueIfUsageChanged(old, pod),
            DeleteFunc = (pod, _) => EnqueueNamespace(pod),
        });
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_quotas.Lister.Get(key.Namespace, key.Name) is not { } quota)
        {
            return;
        }
        var hard = quota["spec"]?["hard"] as JsonObject ?? [];
        var used = QuotaAdmission.IsScoped(quota) ? null : await ComputeUsedAsync(key.Namespace, hard, cancellationToken).ConfigureAwait(false);
        var status = quota["status"] as JsonObject ?? [];
        if (!JsonNode.DeepEquals(status["hard"], hard) || (used is not null && !JsonNode.DeepEquals(status["used"], used)))
        {
            var copy = ApiJson.Clone(quota);
            copy["status"] = used is null ? new JsonObject { ["hard"] = hard.DeepClone() } : new JsonObject { ["hard"] = hard.DeepClone(), ["used"] = used };
            await _client.UpdateAsync(KindRegistry.ResourceQuotas, key.Namespace, copy, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Updated(Logger, key.Namespace, key.Name);
        }
        EnqueueAfter(quota, ResyncInterval);
    }

    /// <summary>The usage of every resource <paramref name="hard"/> names, in its canonical quantity form.</summary>
    private async Task<JsonObject> ComputeUsedAsync(string ns, JsonObject hard, CancellationToken cancellationToken)
    {
        var totals = hard.ToDictionary(p => p.Key, _ => 0m, StringComparer.Ordinal);
        foreach (var kind in KindsFor(hard.Select(p => p.Key)))
        {
            var objects = kind == KindRegistry.Pods
                ? _pods.Lister.List(ns)
                : (await _client.ListAsync(kind, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
            foreach (var obj in objects)
            {
                foreach (var (resource, amount) in QuotaUsage.Of(kind, obj))
                {
                    if (totals.ContainsKey(resource))
                    {
                        totals[resource] += amount;
                    }
                }
            }
        }
        var used = new JsonObject();
        foreach (var (resource, amount) in totals.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            used[resource] = QuotaAdmission.Format(resource, amount);
        }
        return used;
    }

    /// <summary>The served namespaced kinds whose objects can count against any of <paramref name="resources"/>.</summary>
    private static IEnumerable<ResourceKind> KindsFor(IEnumerable<string> resources)
    {
        var names = resources.ToHashSet(StringComparer.Ordinal);
        return KindRegistry.AllKinds.Where(k => k.Namespaced && k != KindRegistry.Events && (names.Contains(QuotaUsage.CountName(k)) ||
            (k == KindRegistry.Pods && names.Overlaps(["pods", .. QuotaUsage.ComputeResources])) ||
            (k == KindRegistry.Services && names.Overlaps(["services", "services.nodeports", "services.loadbalancers"])) ||
            ((k == KindRegistry.ConfigMaps || k == KindRegistry.Secrets || k == KindRegistry.ResourceQuotas) && names.Contains(k.Resource))));
    }

    private void EnqueueNamespace(JsonObject obj)
    {
        foreach (var quota in _quotas.Lister.List(obj.GetNamespace()))
        {
            Enqueue(quota);
        }
    }

    /// <summary>A pod update matters when it turns terminal (its usage is released), as upstream's replenishment checks.</summary>
    private void EnqueueIfUsageChanged(JsonObject old, JsonObject pod)
    {
        if (QuotaUsage.IsTerminal(old) != QuotaUsage.IsTerminal(pod))
        {
            EnqueueNamespace(pod);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2780, Level = LogLevel.Debug, Message = "Updated the usage of ResourceQuota {Namespace}/{Name}")]
        public static partial void Updated(ILogger logger, string @namespace, string name);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Rbac;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Rbac;

/// <summary>
/// Keeps the rules of every ClusterRole with an <c>aggregationRule</c> equal to the union of the rules of the other
/// ClusterRoles its selectors match, selector by selector and role by role in name order, each distinct rule once.
/// Any ClusterRole change enqueues every aggregated role (a label edit can move a role in or out of several).
/// Level-triggered: a sync recomputes from the lister and writes only when the rules differ; a conflict is retried.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go
/// (syncClusterRole, enqueue) in the <see cref="ControllerBase"/> shape; the write is an update with the read
/// resourceVersion instead of a server-side apply.
/// </remarks>
public sealed partial class ClusterRoleAggregationController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly SharedInformer _clusterRoles;

    public ClusterRoleAggregationController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider,
        ILogger<ClusterRoleAggregationController> logger)
        : this(informers.InformerFor(KindRegistry.ClusterRoles), client, timeProvider, logger)
    {
    }

    private ClusterRoleAggregationController(SharedInformer clusterRoles, IApiClient client, TimeProvider timeProvider,
        ILogger<ClusterRoleAggregationController> logger)
        : base("clusterrole-aggregation", [clusterRoles], timeProvider, logger)
    {
        _client = client;
        _clusterRoles = clusterRoles;
        clusterRoles.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (_, _) => EnqueueAggregated(),
            UpdateFunc = (_, _) => EnqueueAggregated(),
            DeleteFunc = (_, _) => EnqueueAggregated(),
        });
    }

    /// <summary>The rules an aggregated role should have, from the roles in <paramref name="all"/> (upstream's loop).</summary>
    public static List<PolicyRule> AggregatedRules(JsonObject role, IEnumerable<JsonObject> all)
    {
        var name = role.GetName();
        var candidates = all.Where(r => r.GetName() != name).OrderBy(r => r.GetName(), StringComparer.Ordinal).ToList();
        var rules = new List<PolicyRule>();
        foreach (var selectorJson in (role.GetObject("aggregationRule")?["clusterRoleSelectors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var selector = LabelSelector.FromLabelSelectorJson(selectorJson);
            foreach (var candidate in candidates.Where(selector.MatchesObject))
            {
                foreach (var rule in (candidate["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.From))
                {
                    if (!rules.Any(r => r.SameAs(rule)))
                    {
                        rules.Add(rule);
                    }
                }
            }
        }
        return rules;
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var role = _clusterRoles.Lister.Get(null, key.Name);
        if (role?["aggregationRule"] is not JsonObject)
        {
            return;
        }
        var wanted = AggregatedRules(role, _clusterRoles.Lister.List());
        var current = (role["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.From).ToList();
        if (current.Count == wanted.Count && current.Zip(wanted).All(p => p.First.SameAs(p.Second)))
        {
            return;
        }
        var updated = (JsonObject)role.DeepClone();
        updated["rules"] = new JsonArray([.. wanted.Select(r => (JsonNode?)r.ToJson())]);
        try
        {
            await _client.UpdateAsync(KindRegistry.ClusterRoles, null, updated, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Aggregated(Logger, key.Name, wanted.Count);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted meanwhile: nothing to aggregate.
        }
    }

    private void EnqueueAggregated()
    {
        foreach (var role in _clusterRoles.Lister.List())
        {
            if (role["aggregationRule"] is JsonObject)
            {
                Enqueue(role);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4755, Level = LogLevel.Debug, Message = "Aggregated {Count} rules into ClusterRole {Name}")]
        public static partial void Aggregated(ILogger logger, string name, int count);
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ResourceQuotas;

/// <summary>
/// What one object charges against a ResourceQuota: a non-terminal pod its count and its effective compute requests
/// and limits (<c>cpu</c>/<c>requests.cpu</c>, <c>memory</c>/<c>requests.memory</c>, <c>limits.cpu</c>,
/// <c>limits.memory</c>: the sum over app containers, raised to the largest init container); a Service its count,
/// node ports and load balancers; ConfigMaps, Secrets and ResourceQuotas their legacy count names; every object
/// <c>count/&lt;resource&gt;[.&lt;group&gt;]</c>. Pure. Mirrors kubernetes/kubernetes pkg/quota/v1/evaluator/core
/// (pods.go PodUsageFunc, services.go, and the generic object-count evaluator).
/// </summary>
public static class QuotaUsage
{
    /// <summary>Compute resources each container must state when a quota tracks them (upstream validationSet).</summary>
    public static readonly string[] ComputeResources = ["cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu", "requests.memory"];

    /// <summary>The quota resource names <paramref name="obj"/> of <paramref name="kind"/> uses, with amounts.</summary>
    public static Dictionary<string, decimal> Of(ResourceKind kind, JsonObject obj)
    {
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (kind == KindRegistry.Pods && IsTerminal(obj))
        {
            return usage;
        }
        usage[CountName(kind)] = 1;
        if (kind == KindRegistry.Pods)
        {
            usage["pods"] = 1;
            AddPodCompute(obj["spec"] as JsonObject ?? [], usage);
        }
        else if (kind == KindRegistry.Services)
        {
            AddService(obj["spec"] as JsonObject ?? [], usage);
        }
        else if (kind == KindRegistry.ConfigMaps || kind == KindRegistry.Secrets || kind == KindRegistry.ResourceQuotas)
        {
            usage[kind.Resource] = 1;
        }
        return usage;
    }

    /// <summary><c>count/pods</c>, <c>count/deployments.apps</c>.</summary>
    public static string CountName(ResourceKind kind) => "count/" + kind.GroupResource;

    /// <summary>Succeeded or Failed pods no longer use quota.</summary>
    public static bool IsTerminal(JsonObject pod) => JsonFields.AsString(pod["status"]?["phase"]) is "Succeeded" or "Failed";

    /// <summary>The compute names one container states (requests.cpu counts as cpu too), for the "must specify" check.</summary>
    public static HashSet<string> ContainerCompute(JsonObject container)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (resource, _) in container["resources"]?["requests"] as JsonObject ?? [])
        {
            if (resource is "cpu" or "memory")
            {
                names.Add(resource);
                names.Add("requests." + resource);
            }
        }
        foreach (var (resource, _) in container["resources"]?["limits"] as JsonObject ?? [])
        {
            if (resource is "cpu" or "memory")
            {
                names.Add("limits." + resource);
            }
        }
        return names;
    }

    private static void AddPodCompute(JsonObject spec, Dictionary<string, decimal> usage)
    {
        foreach (var (key, prefix) in (ReadOnlySpan<(string, string)>)[("requests", "requests."), ("limits", "limits.")])
        {
            var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var (list, sum) in (ReadOnlySpan<(string, bool)>)[("containers", true), ("initContainers", false)])
            {
                foreach (var (_, c) in JsonFields.Objects(spec[list] as JsonArray))
                {
                    foreach (var (resource, node) in c["resources"]?[key] as JsonObject ?? [])
                    {
                        if (resource is "cpu" or "memory" && QuantityValidation.TryParse(node) is { } value)
                        {
                            var current = totals.GetValueOrDefault(resource);
                            totals[resource] = sum ? current + value : Math.Max(current, value);
                        }
                    }
                }
            }
            foreach (var (resource, value) in totals)
            {
                usage[prefix + resource] = value;
                if (key == "requests")
                {
                    usage[resource] = value;
                }
            }
        }
    }

    private static void AddService(JsonObject spec, Dictionary<string, decimal> usage)
    {
        usage["services"] = 1;
        var type = JsonFields.AsString(spec["type"]) ?? "ClusterIP";
        var ports = (spec["ports"] as JsonArray)?.Count ?? 0;
        if (type is "NodePort" or "LoadBalancer")
        {
            usage["services.nodeports"] = ports;
        }
        if (type == "LoadBalancer")
        {
            usage["services.loadbalancers"] = 1;
        }
    }
}

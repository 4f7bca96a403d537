using System.Text.Json.Nodes;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// The pod's QoS class from the cpu/memory requests and limits of all its containers: BestEffort when none are
/// set, Guaranteed when every container limits both and requests equal limits, else Burstable. Pure function.
/// Mirrors kubernetes/kubernetes pkg/apis/core/helper/qos/qos.go (GetPodQOS, ComputePodQOS).
/// </summary>
internal static class PodQos
{
    public const string BestEffort = "BestEffort";
    public const string Burstable = "Burstable";
    public const string Guaranteed = "Guaranteed";

    private static readonly string[] ComputeResources = ["cpu", "memory"];

    public static string Compute(JsonObject spec)
    {
        var requests = new Dictionary<string, decimal>();
        var limits = new Dictionary<string, decimal>();
        var isGuaranteed = true;
        foreach (var list in (string[])["containers", "initContainers"])
        {
            foreach (var (_, container) in JsonFields.Objects(spec[list] as JsonArray))
            {
                Sum(container["resources"]?["requests"] as JsonObject, requests, out _);
                Sum(container["resources"]?["limits"] as JsonObject, limits, out var limitsFound);
                if (!ComputeResources.All(limitsFound.Contains))
                {
                    isGuaranteed = false;
                }
            }
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return BestEffort;
        }
        if (isGuaranteed && requests.Count == limits.Count &&
            requests.All(r => limits.TryGetValue(r.Key, out var l) && l == r.Value))
        {
            return Guaranteed;
        }
        return Burstable;
    }

    private static void Sum(JsonObject? list, Dictionary<string, decimal> totals, out HashSet<string> found)
    {
        found = [];
        if (list is null)
        {
            return;
        }
        foreach (var name in ComputeResources)
        {
            if (QuantityValidation.TryParse(list[name]) is not { } q || q == 0)
            {
                continue;
            }
            found.Add(name);
            totals[name] = totals.GetValueOrDefault(name) + q;
        }
    }
}

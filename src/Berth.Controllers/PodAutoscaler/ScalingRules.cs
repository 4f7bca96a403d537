using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>One scaling policy: add or remove up to <paramref name="Value"/> pods (or percent) per period.</summary>
public sealed record ScalingPolicy(string Type, int Value, int PeriodSeconds);

/// <summary>
/// One direction of an HPA's <c>behavior</c> in the controller's terms: the stabilization window, how policies combine
/// (<c>Max</c>, <c>Min</c> or <c>Disabled</c>) and the policies. Read from a defaulted spec; a scale-down rule without a
/// window gets the controller's downscale stabilization window. Immutable.
/// </summary>
public sealed record ScalingRules(TimeSpan StabilizationWindow, string SelectPolicy, IReadOnlyList<ScalingPolicy> Policies)
{
    /// <summary>The longest policy period: scale events older than it no longer matter.</summary>
    public TimeSpan LongestPeriod => TimeSpan.FromSeconds(Policies.Count == 0 ? 0 : Policies.Max(p => p.PeriodSeconds));

    public static ScalingRules From(JsonObject? rules, TimeSpan defaultWindow)
    {
        var policies = new List<ScalingPolicy>();
        foreach (var p in rules?.GetArray("policies")?.OfType<JsonObject>() ?? [])
        {
            policies.Add(new ScalingPolicy(p.GetString("type") ?? "", (int)(p.GetLong("value") ?? 0), (int)(p.GetLong("periodSeconds") ?? 0)));
        }
        var window = rules?.GetLong("stabilizationWindowSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : defaultWindow;
        return new ScalingRules(window, rules?.GetString("selectPolicy") ?? "Max", policies);
    }
}

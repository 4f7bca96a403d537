using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

/// <summary>
/// Replica arithmetic of the Deployment controller over objects in storage form: fenceposts (maxSurge rounds up,
/// maxUnavailable rounds down, both 0 means 1 unavailable), the new ReplicaSet's next size, proportional scaling, and
/// the completeness/progress predicates. Pure functions.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go.</remarks>
public static class DeploymentUtil
{
    public static int Replicas(JsonObject obj) => (int)(obj.GetLong("spec", "replicas") ?? 1);

    public static int StatusCount(JsonObject obj, string field) => (int)(obj.GetLong("status", field) ?? 0);

    public static bool IsRollingUpdate(JsonObject d) => (d.GetString("spec", "strategy", "type") ?? "RollingUpdate") == "RollingUpdate";

    /// <summary>(surge, unavailable) for <paramref name="desired"/> replicas (upstream ResolveFenceposts).</summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(JsonNode? maxSurge, JsonNode? maxUnavailable, int desired)
    {
        var surge = GetScaledValueFromIntOrPercent(maxSurge ?? JsonValue.Create("25%"), desired, roundUp: true);
        var unavailable = GetScaledValueFromIntOrPercent(maxUnavailable ?? JsonValue.Create("25%"), desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    /// <summary>An int, or a percentage of <paramref name="total"/> rounded up or down.</summary>
    public static int GetScaledValueFromIntOrPercent(JsonNode value, int total, bool roundUp)
    {
        if (value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return int.Parse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        if (!text.EndsWith('%') || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
            {
                return plain;
            }
            throw new FormatException($"invalid value for IntOrString: \"{text}\" is not a percentage");
        }
        var scaled = (double)percent * total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    public static int MaxSurge(JsonObject d)
    {
        if (!IsRollingUpdate(d))
        {
            return 0;
        }
        var rolling = d.GetObject("spec", "strategy", "rollingUpdate");
        return ResolveFenceposts(rolling?["maxSurge"], rolling?["maxUnavailable"], Replicas(d)).Surge;
    }

    public static int MaxUnavailable(JsonObject d)
    {
        if (!IsRollingUpdate(d) || Replicas(d) == 0)
        {
            return 0;
        }
        var rolling = d.GetObject("spec", "strategy", "rollingUpdate");
        return Math.Min(ResolveFenceposts(rolling?["maxSurge"], rolling?["maxUnavailable"], Replicas(d)).Unavailable, Replicas(d));
    }

    /// <summary>The size the new ReplicaSet may grow to now (upstream NewRSNewReplicas).</summary>
    public static int NewRSNewReplicas(JsonObject d, IEnumerable<JsonObject> allRSs, JsonObject newRS)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }
        var current = allRSs.Sum(Replicas);
        var maxTotal = Replicas(d) + MaxSurge(d);
        if (current >= maxTotal)
        {
            return Replicas(newRS);
        }
        var scaleUp = Math.Min(maxTotal - current, Replicas(d) - Replicas(newRS));
        return Replicas(newRS) + scaleUp;
    }

    public static IReadOnlyList<JsonObject> FilterActive(IEnumerable<JsonObject?> rss) => [.. rss.OfType<JsonObject>().Where(rs => Replicas(rs) > 0)];

    public static int AvailableReplicas(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(rs => StatusCount(rs, "availableReplicas"));

    public static int ActualReplicas(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(rs => StatusCount(rs, "replicas"));

    public static int ReadyReplicas(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(rs => StatusCount(rs, "readyReplicas"));

    public static int SpecReplicas(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(Replicas);

    /// <summary>Every replica updated and available, and the newest spec observed.</summary>
    public static bool DeploymentComplete(JsonObject d, JsonObject newStatus) =>
        (newStatus.GetLong("updatedReplicas") ?? 0) == Replicas(d) && (newStatus.GetLong("replicas") ?? 0) == Replicas(d) &&
        (newStatus.GetLong("availableReplicas") ?? 0) == Replicas(d) &&
        (newStatus.GetLong("observedGeneration") ?? 0) >= (d.GetLong("metadata", "generation") ?? 0);

    /// <summary>More updated, fewer old, more ready or more available replicas than the last status said.</summary>
    public static bool DeploymentProgressing(JsonObject d, JsonObject newStatus)
    {
        long Old(string f) => d.GetLong("status", f) ?? 0;
        long New(string f) => newStatus.GetLong(f) ?? 0;
        return New("updatedReplicas") > Old("updatedReplicas") ||
            New("replicas") - New("updatedReplicas") < Old("replicas") - Old("updatedReplicas") ||
            New("readyReplicas") > Old("readyReplicas") || New("availableReplicas") > Old("availableReplicas");
    }

    public static bool HasProgressDeadline(JsonObject d) =>
        d.GetLong("spec", "progressDeadlineSeconds") is { } s && s != int.MaxValue;

    /// <summary>The Progressing condition was last updated more than progressDeadlineSeconds ago (and did not complete).</summary>
    public static bool DeploymentTimedOut(JsonObject d, DateTimeOffset now)
    {
        if (!HasProgressDeadline(d) || DeploymentConditions.Get(d["status"] as JsonObject, DeploymentConditions.Progressing) is not { } cond)
        {
            return false;
        }
        switch (cond.GetString("reason"))
        {
            case DeploymentConditions.NewRSAvailableReason:
                return false;
            case DeploymentConditions.TimedOutReason:
                return true;
        }
        var from = DeploymentConditions.LastUpdateTime(cond);
        return from is { } f && f.AddSeconds(d.GetLong("spec", "progressDeadlineSeconds")!.Value) < now;
    }

    /// <summary>The new ReplicaSet runs all desired replicas, all available, for the current desired count.</summary>
    public static bool IsSaturated(JsonObject d, JsonObject? newRS) =>
        newRS is not null && Annotations.GetInt(newRS, Annotations.DesiredReplicas) == Replicas(d) &&
        Replicas(newRS) == Replicas(d) && StatusCount(newRS, "availableReplicas") == Replicas(d);

    /// <summary>The only active ReplicaSet, or the newest when none is active; null when several are active.</summary>
    public static JsonObject? FindActiveOrLatest(JsonObject? newRS, IReadOnlyList<JsonObject> oldRSs)
    {
        if (newRS is null && oldRSs.Count == 0)
        {
            return null;
        }
        var sortedOld = ReplicaSetOrder.ByCreation(oldRSs);
        var active = FilterActive([.. sortedOld, newRS]);
        return active.Count switch
        {
            0 => newRS ?? sortedOld[^1],
            1 => active[0],
            _ => null,
        };
    }

    /// <summary>How many replicas <paramref name="rs"/> gains (or loses) in a proportional scale (upstream getProportion).</summary>
    public static int GetProportion(JsonObject rs, JsonObject d, int toAdd, int added)
    {
        if (toAdd == 0)
        {
            return 0;
        }
        var fraction = GetReplicaSetFraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int GetReplicaSetFraction(JsonObject rs, JsonObject d)
    {
        if (Replicas(d) == 0)
        {
            return -Replicas(rs);
        }
        var deploymentReplicas = Replicas(d) + MaxSurge(d);
        var annotated = Annotations.GetInt(rs, Annotations.MaxReplicas) ?? StatusCount(d, "replicas");
        if (annotated == 0)
        {
            return 0;
        }
        var newSize = (int)Math.Round((double)Replicas(rs) * deploymentReplicas / annotated, MidpointRounding.AwayFromZero);
        return newSize - Replicas(rs);
    }
}

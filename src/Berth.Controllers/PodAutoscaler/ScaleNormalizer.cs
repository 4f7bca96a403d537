namespace Berth.Controllers.PodAutoscaler;

/// <summary>What normalization decided: the replica count, and the AbleToScale and ScalingLimited conditions' reasons.</summary>
public sealed record Normalized(int Replicas, (string Reason, string Message) AbleToScale, (bool Limited, string Reason, string Message) ScalingLimited);

/// <summary>
/// Turns a metric proposal into the replica count to apply: stabilization over recent recommendations, then the
/// rate limit (the HPA's behavior policies over recent scale events, or without behavior upstream's fixed
/// max(2×, 4) scale-up limit), then min/max. Keeps per-HPA history in memory (lost on restart, as upstream's);
/// time comes from the injected clock. Thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (normalizeDesiredReplicas,
/// normalizeDesiredReplicasWithBehaviors, stabilizeRecommendation[WithBehaviors], convertDesiredReplicasWithRules,
/// convertDesiredReplicasWithBehaviorRate, calculateScale{Up,Down}Limit*, storeScaleEvent, getReplicasChangePerPeriod).</remarks>
public sealed class ScaleNormalizer(TimeProvider time, TimeSpan downscaleStabilizationWindow)
{
    /// <summary>The controller's default downscale stabilization window (--horizontal-pod-autoscaler-downscale-stabilization).</summary>
    public static readonly TimeSpan DefaultDownscaleStabilizationWindow = TimeSpan.FromMinutes(5);

    private const string WithinRange = "DesiredWithinRange";
    private const string WithinRangeMessage = "the desired count is within the acceptable range";

    private readonly object _lock = new();
    private readonly Dictionary<string, History> _history = new(StringComparer.Ordinal);

    public TimeSpan DownscaleStabilizationWindow => downscaleStabilizationWindow;

    /// <summary>Seeds the history with the current count the first time an HPA is seen (recordInitialRecommendation).</summary>
    public void RecordInitial(string key, int currentReplicas)
    {
        lock (_lock)
        {
            if (!_history.ContainsKey(key))
            {
                _history[key] = new History([(currentReplicas, time.GetUtcNow())]);
            }
        }
    }

    /// <summary>Forgets a deleted HPA.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _history.Remove(key);
        }
    }

    /// <summary>The count to apply without a behavior: the highest recommendation in the downscale window, then
    /// min, max and the fixed scale-up limit.</summary>
    public Normalized Normalize(string key, int current, int proposed, int min, int max)
    {
        int stabilized;
        lock (_lock)
        {
            var history = HistoryOf(key);
            var cutoff = time.GetUtcNow() - downscaleStabilizationWindow;
            stabilized = Math.Max(proposed, history.Recommendations.Where(r => r.At >= cutoff).Select(r => r.Replicas).DefaultIfEmpty(proposed).Max());
            history.Record(proposed, cutoff, time.GetUtcNow());
        }
        var able = stabilized != proposed
            ? ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
            : ("ReadyForNewScale", "recommended size matches current size");
        var upLimit = Math.Max(2 * current, 4);
        var (maxAllowed, reason, message) = max > upLimit
            ? (upLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
            : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
        var (replicas, why, text) = stabilized < min
            ? (min, "TooFewReplicas", "the desired replica count is less than the minimum replica count")
            : stabilized > maxAllowed ? (maxAllowed, reason, message) : (stabilized, WithinRange, WithinRangeMessage);
        return new Normalized(replicas, able, (replicas != stabilized, why, text));
    }

    /// <summary>The count to apply with a behavior: stabilized between the lowest recent recommendation in the scale-up
    /// window and the highest in the scale-down window, then rate-limited by the policies and clamped to min/max.</summary>
    public Normalized NormalizeWithBehavior(string key, int current, int proposed, int min, int max, ScalingRules up, ScalingRules down)
    {
        int stabilized;
        IReadOnlyList<(int Change, DateTimeOffset At)> ups, downs;
        lock (_lock)
        {
            var history = HistoryOf(key);
            var now = time.GetUtcNow();
            var (upCutoff, downCutoff) = (now - up.StabilizationWindow, now - down.StabilizationWindow);
            var upRecommendation = history.Recommendations.Where(r => r.At > upCutoff).Select(r => r.Replicas).Append(proposed).Min();
            var downRecommendation = history.Recommendations.Where(r => r.At > downCutoff).Select(r => r.Replicas).Append(proposed).Max();
            stabilized = Math.Min(Math.Max(current, upRecommendation), downRecommendation);
            history.Record(proposed, upCutoff < downCutoff ? upCutoff : downCutoff, now);
            (ups, downs) = ([.. history.ScaleUps], [.. history.ScaleDowns]);
        }
        var able = stabilized == proposed
            ? ("ReadyForNewScale", "recommended size matches current size")
            : proposed >= current
                ? ("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
                : ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");
        var (replicas, reason, message) = BehaviorRate.Limit(current, stabilized, min, max, up, down, ups, downs, time.GetUtcNow());
        return new Normalized(replicas, able, (replicas != stabilized, reason, message));
    }

    /// <summary>Records a successful rescale for the behavior's rate limits (storeScaleEvent); ignored without a behavior.</summary>
    public void RecordScale(string key, int previous, int next, ScalingRules? up, ScalingRules? down)
    {
        if (up is null || down is null || previous == next)
        {
            return;
        }
        lock (_lock)
        {
            var history = HistoryOf(key);
            var now = time.GetUtcNow();
            var (events, rules) = next > previous ? (history.ScaleUps, up) : (history.ScaleDowns, down);
            events.RemoveAll(e => e.At <= now - rules.LongestPeriod);
            events.Add((Math.Abs(next - previous), now));
        }
    }

    private History HistoryOf(string key)
    {
        if (!_history.TryGetValue(key, out var history))
        {
            history = new History([]);
            _history[key] = history;
        }
        return history;
    }

    /// <summary>Recent recommendations and scale events of one HPA. Guarded by the normalizer's lock.</summary>
    private sealed class History(List<(int Replicas, DateTimeOffset At)> recommendations)
    {
        public List<(int Replicas, DateTimeOffset At)> Recommendations { get; } = recommendations;

        public List<(int Change, DateTimeOffset At)> ScaleUps { get; } = [];

        public List<(int Change, DateTimeOffset At)> ScaleDowns { get; } = [];

        /// <summary>Replaces one recommendation older than <paramref name="cutoff"/>, or appends (the list stays bounded by the window).</summary>
        public void Record(int replicas, DateTimeOffset cutoff, DateTimeOffset now)
        {
            var old = Recommendations.FindIndex(r => r.At < cutoff);
            if (old >= 0)
            {
                Recommendations[old] = (replicas, now);
            }
            else
            {
                Recommendations.Add((replicas, now));
            }
        }
    }
}

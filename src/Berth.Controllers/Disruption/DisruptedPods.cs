using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Disruption;

/// <summary>
/// The pure half of a budget's sync: which entries of <c>status.disruptedPods</c> survive, and how many pods count
/// as healthy. Pure functions over cached objects, which they only read.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/disruption/disruption.go (buildDisruptedPodMap, countHealthyPods).</remarks>
internal static class DisruptedPods
{
    /// <summary>
    /// Keeps the entries for pods that still exist, are not terminating yet, and were evicted less than
    /// <see cref="DisruptionController.DeletionTimeout"/> ago. <paramref name="expired"/> gets the pods whose entry
    /// timed out without a delete. Returns the kept entries and the earliest moment one of them times out (when the
    /// budget must be synced again), or null.
    /// </summary>
    public static (SortedDictionary<string, DateTimeOffset> Kept, DateTimeOffset? RecheckTime) BuildDisruptedPodMap(
        JsonObject pdb, IReadOnlyList<JsonObject> pods, DateTimeOffset now, List<JsonObject> expired)
    {
        var kept = new SortedDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        DateTimeOffset? recheck = null;
        if (pdb.GetObject("status", "disruptedPods") is not { } disrupted)
        {
            return (kept, recheck);
        }
        foreach (var pod in pods)
        {
            if (IsTerminating(pod) || disrupted[pod.GetName() ?? ""] is not JsonValue value ||
                !value.TryGetValue<string>(out var text) || ParseTime(text) is not { } disruptionTime)
            {
                continue;
            }
            var expectedDeletion = disruptionTime + DisruptionController.DeletionTimeout;
            if (expectedDeletion < now)
            {
                expired.Add(pod);
                continue;
            }
            if (recheck is null || expectedDeletion < recheck)
            {
                recheck = expectedDeletion;
            }
            kept[pod.GetName()!] = disruptionTime;
        }
        return (kept, recheck);
    }

    /// <summary>Ready pods that are neither terminating nor freshly evicted (listed in <paramref name="disrupted"/>).</summary>
    public static int CountHealthyPods(IReadOnlyList<JsonObject> pods, IReadOnlyDictionary<string, DateTimeOffset> disrupted, DateTimeOffset now) =>
        pods.Count(pod => !IsTerminating(pod) &&
            !(disrupted.TryGetValue(pod.GetName() ?? "", out var since) && since + DisruptionController.DeletionTimeout > now) &&
            IsPodReady(pod));

    /// <summary>The map in its wire form: pod name to RFC 3339 time.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, DateTimeOffset> disrupted)
    {
        var json = new JsonObject();
        foreach (var (name, time) in disrupted)
        {
            json[name] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        return json;
    }

    public static bool IsPodReady(JsonObject pod) =>
        pod.GetArray("status", "conditions")?.OfType<JsonObject>().Any(c => c.GetString("type") == "Ready" && c.GetString("status") == "True") == true;

    private static bool IsTerminating(JsonObject pod) => pod.GetString("metadata", "deletionTimestamp") is not null;

    private static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}

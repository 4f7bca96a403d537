using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// Whether tolerations tolerate taints: an empty toleration effect matches every effect, an empty key with
/// <c>Exists</c> matches every key, <c>Exists</c> ignores the value and <c>Equal</c> (or no operator) compares it.
/// Pure; used by the scheduler and the taint eviction controller.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint) and pkg/apis/core/v1/helper (TolerationsTolerateTaint, FindMatchingUntoleratedTaint, GetMatchingTolerations).</remarks>
internal static class Tolerations
{
    public static bool ToleratesTaint(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }
        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }
        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }

    public static bool TolerateTaint(IEnumerable<V1Toleration>? tolerations, V1Taint taint) =>
        (tolerations ?? []).Any(t => ToleratesTaint(t, taint));

    /// <summary>The first taint passing <paramref name="filter"/> that no toleration tolerates, or null.</summary>
    public static V1Taint? FindMatchingUntoleratedTaint(IEnumerable<V1Taint>? taints, IList<V1Toleration>? tolerations, Func<V1Taint, bool> filter) =>
        (taints ?? []).FirstOrDefault(taint => filter(taint) && !TolerateTaint(tolerations, taint));

    /// <summary>
    /// Whether every taint is tolerated, and the first tolerating toleration of each taint (upstream's
    /// GetMatchingTolerations; the taint eviction controller derives the eviction delay from them).
    /// </summary>
    public static (bool AllTolerated, IReadOnlyList<V1Toleration> Used) GetMatchingTolerations(IReadOnlyList<V1Taint> taints, IList<V1Toleration>? tolerations)
    {
        var used = new List<V1Toleration>();
        foreach (var taint in taints)
        {
            var match = (tolerations ?? []).FirstOrDefault(t => ToleratesTaint(t, taint));
            if (match is null)
            {
                return (false, []);
            }
            used.Add(match);
        }
        return (true, used);
    }
}

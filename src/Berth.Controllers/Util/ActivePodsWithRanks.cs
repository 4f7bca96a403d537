using System.Globalization;
using k8s.Models;

namespace Berth.Controllers.Util;

/// <summary>
/// Orders pods so that the ones to delete first come first: unassigned before assigned; Pending before Unknown before
/// Running; not ready before ready; lower <c>controller.kubernetes.io/pod-deletion-cost</c> first; more colocated
/// (higher rank) first; ready for a shorter time first; more restarts first; newer first. <paramref name="ranks"/> is
/// indexed like the pods being compared (see <see cref="Sort"/>).
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/controller_utils.go (ActivePodsWithRanks.Less). Deviation: ready time
/// and creation time are compared exactly, not on upstream's logarithmic scale (LogarithmicScaleDown).
/// </remarks>
public sealed class ActivePodsWithRanks(DateTimeOffset now) : IComparer<(V1Pod Pod, int Rank)>
{
    public const string PodDeletionCost = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>The pods in deletion order (a new list; inputs untouched).</summary>
    public static IReadOnlyList<V1Pod> Sort(IReadOnlyList<V1Pod> pods, IReadOnlyList<int> ranks, DateTimeOffset now)
    {
        var items = pods.Select((p, i) => (p, ranks[i])).ToList();
        items.Sort(new ActivePodsWithRanks(now));
        return [.. items.Select(i => i.p)];
    }

    public int Compare((V1Pod Pod, int Rank) x, (V1Pod Pod, int Rank) y)
    {
        var (a, b) = (x.Pod, y.Pod);
        int c;
        if ((c = Assigned(a).CompareTo(Assigned(b))) != 0 || (c = PhaseRank(a).CompareTo(PhaseRank(b))) != 0 ||
            (c = PodUtil.IsPodReady(a).CompareTo(PodUtil.IsPodReady(b))) != 0 || (c = DeletionCost(a).CompareTo(DeletionCost(b))) != 0 ||
            (c = y.Rank.CompareTo(x.Rank)) != 0)
        {
            return c;
        }
        if (PodUtil.IsPodReady(a) && PodUtil.IsPodReady(b) && (c = ReadyTime(a).CompareTo(ReadyTime(b))) != 0)
        {
            return c;
        }
        if ((c = MaxRestarts(b).CompareTo(MaxRestarts(a))) != 0)
        {
            return c;
        }
        return (b.Metadata.CreationTimestamp ?? DateTime.MaxValue).CompareTo(a.Metadata.CreationTimestamp ?? DateTime.MaxValue);
    }

    private static bool Assigned(V1Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);

    private static int PhaseRank(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => -1,
    };

    private static int DeletionCost(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(PodDeletionCost, out var v) == true &&
        int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost) ? cost : 0;

    /// <summary>How long the pod has been ready; pods without a transition time count as ready for no time.</summary>
    private TimeSpan ReadyTime(V1Pod pod) =>
        PodUtil.ReadyCondition(pod)?.LastTransitionTime is { } t ? now - new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : TimeSpan.Zero;

    private static int MaxRestarts(V1Pod pod) => pod.Status?.ContainerStatuses?.Select(s => s.RestartCount).DefaultIfEmpty(0).Max() ?? 0;
}

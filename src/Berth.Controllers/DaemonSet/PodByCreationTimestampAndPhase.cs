using k8s.Models;

namespace Berth.Controllers.DaemonSet;

/// <summary>
/// Orders a node's daemon pods oldest first, bound pods before unbound ones, and by name when created in the same
/// second; the first one is the pod that counts for status and the one kept when there are too many. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/daemon/daemon_controller.go (podByCreationTimestampAndPhase).</remarks>
public sealed class PodByCreationTimestampAndPhase : IComparer<V1Pod>
{
    public static PodByCreationTimestampAndPhase Instance { get; } = new();

    public static List<V1Pod> Sort(IEnumerable<V1Pod> pods)
    {
        var sorted = pods.ToList();
        sorted.Sort(Instance);
        return sorted;
    }

    public int Compare(V1Pod? x, V1Pod? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }
        var (xBound, yBound) = (!string.IsNullOrEmpty(x.Spec?.NodeName), !string.IsNullOrEmpty(y.Spec?.NodeName));
        if (xBound != yBound)
        {
            return xBound ? -1 : 1;
        }
        var (xc, yc) = (x.Metadata.CreationTimestamp ?? DateTime.MaxValue, y.Metadata.CreationTimestamp ?? DateTime.MaxValue);
        return xc == yc ? string.CompareOrdinal(x.Metadata.Name, y.Metadata.Name) : xc.CompareTo(yc);
    }
}

using k8s.Models;

namespace Berth.Kubelet;

/// <summary>The node-side grace of a pod kill. Mirrors kubernetes/kubernetes pkg/kubelet/pod_workers.go (calculateEffectiveGracePeriod).</summary>
public static class GracePeriods
{
    /// <summary>
    /// Starts from <paramref name="current"/> (0: none yet); takes <c>deletionGracePeriodSeconds</c> and then the
    /// internal override when either is smaller (or nothing is set yet); falls back to
    /// <c>terminationGracePeriodSeconds</c>; floors at 1. <c>Shortened</c> is true when a previous non-zero value changed.
    /// </summary>
    public static (long GracePeriod, bool Shortened) CalculateEffectiveGracePeriod(long current, V1Pod? pod, long? internalOverride)
    {
        var grace = current;
        var overridden = false;
        if (pod?.Metadata?.DeletionGracePeriodSeconds is { } deletion && (grace == 0 || deletion < grace))
        {
            (grace, overridden) = (deletion, true);
        }

        if (internalOverride is { } requested && (grace == 0 || requested < grace))
        {
            (grace, overridden) = (requested, true);
        }

        if (!overridden && grace == 0 && pod?.Spec?.TerminationGracePeriodSeconds is { } spec)
        {
            grace = spec;
        }

        grace = Math.Max(1, grace);
        return (grace, current != 0 && current != grace);
    }
}

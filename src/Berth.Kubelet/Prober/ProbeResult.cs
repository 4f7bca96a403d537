namespace Berth.Kubelet.Prober;

/// <summary>
/// A cached probe result. Initial values: readiness Failure, liveness Success, startup Unknown.
/// Mirrors kubernetes/kubernetes pkg/kubelet/prober/results/results_manager.go (Result).
/// </summary>
public enum ProbeResult
{
    /// <summary>No result yet (startup before its first conclusive run).</summary>
    Unknown,

    /// <summary>The threshold of consecutive successes was reached.</summary>
    Success,

    /// <summary>The threshold of consecutive failures was reached (or the container is not running).</summary>
    Failure,
}

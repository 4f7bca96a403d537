namespace Berth.Kubelet.KubeRuntime;

/// <summary>Why a single container is killed; decides which grace applies. Mirrors kuberuntime_container.go (containerKillReason).</summary>
public enum KillReason
{
    /// <summary>Pod termination, spec change, unknown state: pod-level grace.</summary>
    Unknown,

    /// <summary>Liveness failure: the probe's terminationGracePeriodSeconds when set.</summary>
    LivenessProbe,

    /// <summary>Startup failure: the probe's terminationGracePeriodSeconds when set.</summary>
    StartupProbe,

    /// <summary>postStart hook failed.</summary>
    FailedPostStartHook,
}

namespace Berth.Kubelet.Prober;

/// <summary>The three probe kinds. Mirrors kubernetes/kubernetes pkg/kubelet/prober/prober.go (probeType).</summary>
public enum ProbeType
{
    /// <summary>Failure restarts the container (if the restart policy allows). Stops once the pod is deleting.</summary>
    Liveness,

    /// <summary>Gates Ready/ContainersReady; keeps running during termination.</summary>
    Readiness,

    /// <summary>Gates liveness and readiness until it succeeds once; failure restarts the container.</summary>
    Startup,
}

/// <summary>Names as they appear in events ("Liveness probe failed: …").</summary>
public static class ProbeTypeNames
{
    public static string Name(this ProbeType type) => type switch
    {
        ProbeType.Liveness => "Liveness",
        ProbeType.Readiness => "Readiness",
        _ => "Startup",
    };
}

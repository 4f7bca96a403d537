using k8s.Models;

namespace Berth.Kubelet.Prober;

/// <summary>Probe settings with the API defaults applied (period 10 s, timeout 1 s, success 1, failure 3, delay 0).</summary>
internal static class ProbeSpecs
{
    public static V1Probe? For(V1Container container, ProbeType type) => type switch
    {
        ProbeType.Liveness => container.LivenessProbe,
        ProbeType.Readiness => container.ReadinessProbe,
        _ => container.StartupProbe,
    };

    public static TimeSpan Period(V1Probe probe) => TimeSpan.FromSeconds(probe.PeriodSeconds is > 0 ? probe.PeriodSeconds.Value : 10);

    public static int SuccessThreshold(V1Probe probe) => probe.SuccessThreshold is > 0 ? probe.SuccessThreshold.Value : 1;

    public static int FailureThreshold(V1Probe probe) => probe.FailureThreshold is > 0 ? probe.FailureThreshold.Value : 3;

    public static int InitialDelaySeconds(V1Probe probe) => Math.Max(0, probe.InitialDelaySeconds ?? 0);

    /// <summary>The value a worker reports before its first conclusive run.</summary>
    public static ProbeResult InitialValue(ProbeType type) => type switch
    {
        ProbeType.Liveness => ProbeResult.Success,
        ProbeType.Readiness => ProbeResult.Failure,
        _ => ProbeResult.Unknown,
    };
}

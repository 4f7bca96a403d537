namespace Berth.Kubelet.Status;

/// <summary>
/// The pod's "sandbox" in a process runtime: its IP allocation. <paramref name="Ready"/> is true between the IP
/// allocation (RunPodSandbox) and its release after the kill (StopPodSandbox); <paramref name="PodIPs"/> stay known
/// after the release, because the final status keeps the pod's IPs.
/// </summary>
public sealed record PodSandboxInfo(IReadOnlyList<string> PodIPs, bool Ready)
{
    public static PodSandboxInfo None { get; } = new([], false);
}

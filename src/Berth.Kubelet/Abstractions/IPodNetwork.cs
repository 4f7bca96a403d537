namespace Berth.Kubelet.Abstractions;

/// <summary>
/// Pod IP address management for a single node: each pod gets its own loopback address from a configured 127.x
/// range. Mirrors the IPAM part of a CNI plugin (kubernetes/kubernetes pkg/kubelet/network, host-local IPAM).
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="AllocatePodIP"/> is called by the pod syncer before the first container of a pod starts
/// (the RunPodSandbox step) and again on every sync; <see cref="ReleasePodIP"/> after every container of the pod has
/// stopped (the StopPodSandbox step). An allocation survives an agent restart for a pod whose containers are
/// adopted, so the same UID gets the same address back.
/// </remarks>
public interface IPodNetwork
{
    /// <summary>The node's address as shown in <c>status.hostIP</c> (127.0.0.1 by default).</summary>
    string HostIP { get; }

    /// <summary>
    /// Returns the pod's IP, allocating one the first time. Idempotent for one UID. Throws when the range is
    /// exhausted (the pod stays Pending and is retried).
    /// </summary>
    string AllocatePodIP(string podUid);

    /// <summary>Returns the pod's IP to the pool. Unknown UIDs are ignored; idempotent.</summary>
    void ReleasePodIP(string podUid);
}

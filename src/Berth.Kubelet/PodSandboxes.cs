using System.Collections.Concurrent;
using Berth.Kubelet.Status;

namespace Berth.Kubelet;

/// <summary>
/// Which pods have a "sandbox" (an allocated IP) in this agent process. Ready from the allocation in SyncPod until
/// the release after the kill; the IP stays known after the release so the final status can keep it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class PodSandboxes
{
    private readonly ConcurrentDictionary<string, PodSandboxInfo> _sandboxes = new(StringComparer.Ordinal);

    public PodSandboxInfo Get(string podUid) => _sandboxes.TryGetValue(podUid, out var info) ? info : PodSandboxInfo.None;

    public void SetReady(string podUid, string podIP) => _sandboxes[podUid] = new PodSandboxInfo([podIP], true);

    /// <summary>The sandbox was stopped (IP released); the IP is kept for the status.</summary>
    public void MarkStopped(string podUid) => _sandboxes.AddOrUpdate(podUid, PodSandboxInfo.None, (_, old) => old with { Ready = false });

    public void Forget(string podUid) => _sandboxes.TryRemove(podUid, out _);
}

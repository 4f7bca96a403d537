using System.Collections.Concurrent;

namespace Berth.Kubelet.Status;

/// <summary>
/// Why the last start attempt of a container failed (CrashLoopBackOff, CreateContainerConfigError, RunContainerError,
/// PostStartHookError …) with its message; status generation shows it as the waiting reason of a container that is
/// due to be restarted. Set by the runtime sync on failure, removed on a successful start.
/// Mirrors kubernetes/kubernetes pkg/kubelet/reason_cache.go.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ReasonCache
{
    private readonly ConcurrentDictionary<(string PodUid, string Container), (string Reason, string Message)> _reasons = new();

    public void Add(string podUid, string container, string reason, string message) => _reasons[(podUid, container)] = (reason, message);

    public void Remove(string podUid, string container) => _reasons.TryRemove((podUid, container), out _);

    public bool TryGet(string podUid, string container, out (string Reason, string Message) reason) =>
        _reasons.TryGetValue((podUid, container), out reason);

    /// <summary>Forgets every entry of a pod (the pod worker finished).</summary>
    public void RemovePod(string podUid)
    {
        foreach (var key in _reasons.Keys.Where(k => k.PodUid == podUid))
        {
            _reasons.TryRemove(key, out _);
        }
    }
}

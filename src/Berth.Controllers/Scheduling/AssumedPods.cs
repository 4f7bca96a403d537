namespace Berth.Controllers.Scheduling;

/// <summary>
/// Pods this scheduler has decided to bind whose binding the pod informer has not shown yet. Their requests and host
/// ports are counted on the chosen node so that two pods scheduled back to back cannot both take the last free resources.
/// An entry goes when the informer shows the pod bound or deleted, or when binding fails. Thread-safe.
/// </summary>
/// <remarks>Mirrors the assume/forget part of kubernetes/kubernetes pkg/scheduler/backend/cache/cache.go (AssumePod, ForgetPod, addPod confirming an assumed pod).</remarks>
internal sealed class AssumedPods
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _byUid = new(StringComparer.Ordinal);

    public void Assume(string uid, string nodeName, ResourceVector requests, ResourceVector nonZeroRequests, IReadOnlyList<HostPort>? hostPorts = null)
    {
        lock (_gate)
        {
            _byUid[uid] = new Entry(nodeName, requests, nonZeroRequests, hostPorts ?? []);
        }
    }

    public void Forget(string uid)
    {
        lock (_gate)
        {
            _byUid.Remove(uid);
        }
    }

    /// <summary>Adds every assumed pod's requests to its node, except pods in <paramref name="counted"/> (already bound in the informer cache).</summary>
    public void AddTo(IReadOnlyDictionary<string, NodeInfo> nodes, ISet<string> counted)
    {
        lock (_gate)
        {
            foreach (var (uid, entry) in _byUid)
            {
                if (!counted.Contains(uid) && nodes.TryGetValue(entry.NodeName, out var node))
                {
                    node.AddRequests(entry.Requests, entry.NonZeroRequests);
                    node.UsedPorts.AddRange(entry.HostPorts);
                }
            }
        }
    }

    private sealed record Entry(string NodeName, ResourceVector Requests, ResourceVector NonZeroRequests, IReadOnlyList<HostPort> HostPorts);
}

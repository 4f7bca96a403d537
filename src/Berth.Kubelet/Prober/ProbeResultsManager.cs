using System.Collections.Concurrent;
using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Latest result per container instance for one probe type; status generation and computePodActions read it.
/// <see cref="Updated"/> fires (synchronously, on the setter's thread) only when a container's value changes.
/// Mirrors kubernetes/kubernetes pkg/kubelet/prober/results/results_manager.go.
/// </summary>
/// <remarks>Thread-safe. Subscribers must be quick and must not call back into the manager.</remarks>
public sealed class ProbeResultsManager
{
    private readonly ConcurrentDictionary<ContainerId, ProbeResult> _results = new();

    /// <summary>Raised after a container's cached result changed.</summary>
    public event Action<ProbeResultUpdate>? Updated;

    public bool TryGet(ContainerId id, out ProbeResult result) => _results.TryGetValue(id, out result);

    /// <summary>Stores <paramref name="result"/>; raises <see cref="Updated"/> when it differs from the previous value.</summary>
    public void Set(ContainerId id, ProbeResult result, string podUid)
    {
        var changed = true;
        _results.AddOrUpdate(id, result, (_, old) =>
        {
            changed = old != result;
            return result;
        });
        if (changed)
        {
            Updated?.Invoke(new ProbeResultUpdate(id, podUid, result));
        }
    }

    public void Remove(ContainerId id) => _results.TryRemove(id, out _);
}

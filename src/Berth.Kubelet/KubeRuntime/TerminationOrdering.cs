using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Latches that defer the stop signal of sidecars (restartable init containers) until every main container has
/// exited and, walking the init containers backwards, until the sidecar defined after it has exited too: the last
/// sidecar stops right after the mains, then the one before it, and so on. Containers not running at the start are
/// pre-released. Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_termination_order.go.
/// </summary>
/// <remarks>Thread-safe; one instance per pod kill.</remarks>
public sealed class TerminationOrdering
{
    private readonly Dictionary<string, List<Task>> _prereqs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _terminated = new(StringComparer.Ordinal);

    private TerminationOrdering(V1Pod pod, IReadOnlySet<string> running)
    {
        var mains = new List<Task>();
        foreach (var c in PodSpecs.Containers(pod))
        {
            mains.Add(Latch(c.Name, running).Task);
        }

        string? laterSidecar = null;
        foreach (var ic in PodSpecs.InitContainers(pod).Reverse())
        {
            Latch(ic.Name, running);
            if (!PodSpecs.IsRestartableInitContainer(ic))
            {
                continue;
            }

            var prereqs = new List<Task>(mains);
            if (laterSidecar is not null)
            {
                prereqs.Add(_terminated[laterSidecar].Task);
            }

            _prereqs[ic.Name] = prereqs;
            laterSidecar = ic.Name;
        }
    }

    /// <summary>An ordering for pods with sidecars; null (no ordering: all stop at once) otherwise.</summary>
    public static TerminationOrdering? For(V1Pod pod, IEnumerable<string> runningContainerNames) =>
        PodSpecs.InitContainers(pod).Any(PodSpecs.IsRestartableInitContainer)
            ? new TerminationOrdering(pod, new HashSet<string>(runningContainerNames, StringComparer.Ordinal))
            : null;

    /// <summary>Completes when it is <paramref name="name"/>'s turn to get the stop signal (at once for non-sidecars).</summary>
    public Task WhenTurnAsync(string name) =>
        _prereqs.TryGetValue(name, out var prereqs) ? Task.WhenAll(prereqs) : Task.CompletedTask;

    /// <summary>Releases containers waiting on <paramref name="name"/>; call once its stop returned successfully.</summary>
    public void ContainerTerminated(string name)
    {
        if (_terminated.TryGetValue(name, out var latch))
        {
            latch.TrySetResult();
        }
    }

    private TaskCompletionSource Latch(string name, IReadOnlySet<string> running)
    {
        var latch = new TaskCompletionSource();
        if (!running.Contains(name))
        {
            latch.TrySetResult();
        }

        _terminated[name] = latch;
        return latch;
    }
}

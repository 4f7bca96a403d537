using Berth.Kubelet.Container;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

public sealed partial class KubeRuntimeManager
{
    /// <summary>
    /// Kills every running container of the pod at once (exited ones are left alone and get no <c>Killing</c>
    /// event); sidecars are stopped after the main containers in reverse order. <paramref name="gracePeriod"/> is the
    /// pod termination's shared override (null for a kill inside SyncPod: the spec's grace). Throws an
    /// <see cref="AggregateException"/> when any container failed to stop.
    /// </summary>
    public async Task KillPodAsync(V1Pod pod, PodRuntimeStatus runningPod, GracePeriodOverride? gracePeriod, string? podIP,
        CancellationToken cancellationToken)
    {
        var running = runningPod.Running.ToList();
        var ordering = TerminationOrdering.For(pod, running.Select(c => c.ContainerName));
        var kills = running.Select(c =>
        {
            var spec = PodSpecs.GetContainerSpec(pod, c.ContainerName) ?? ContainerLabels.RestoreSpecs(c).Container;
            return killer.KillContainerAsync(new KillContainerRequest(pod, spec, c.Id, "", KillReason.Unknown, gracePeriod, ordering,
                podIP, StopSignalOf(spec, runningPod, c.Id)), cancellationToken);
        }).ToList();
        await WhenAllOrAggregate(kills).ConfigureAwait(false);
    }

    /// <summary>
    /// Kills the running containers of a pod that no longer exists (SyncTerminatingRuntimePod): grace 1, preStop and
    /// stop signal restored from the container's annotations, no ordering.
    /// </summary>
    public async Task KillRuntimePodAsync(PodRuntimeStatus runtimePod, CancellationToken cancellationToken)
    {
        var grace = new GracePeriodOverride(1);
        var kills = runtimePod.Running.Select(c =>
        {
            var (pod, spec) = ContainerLabels.RestoreSpecs(c);
            Log.KillingOrphan(logger, runtimePod.PodUid, c.ContainerName, c.Id.Value);
            return killer.KillContainerAsync(new KillContainerRequest(pod, spec, c.Id, "", KillReason.Unknown, grace, null, null,
                ContainerLabels.StoredStopSignal(c)), cancellationToken);
        }).ToList();
        await WhenAllOrAggregate(kills).ConfigureAwait(false);
    }

    /// <summary>Removes exited instances beyond the newest two per container name (the current and the previous one).</summary>
    public async Task PruneExitedAsync(PodRuntimeStatus podStatus, CancellationToken cancellationToken)
    {
        foreach (var group in podStatus.Containers.GroupBy(c => c.ContainerName))
        {
            foreach (var old in group.Skip(2).Where(c => c.State is ContainerState.Exited or ContainerState.Unknown))
            {
                await runtime.RemoveContainerAsync(old.Id, deleteLogs: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes every container of a pod that is gone from the API (logs included).</summary>
    public async Task RemovePodContainersAsync(PodRuntimeStatus podStatus, CancellationToken cancellationToken)
    {
        foreach (var c in podStatus.Containers)
        {
            await runtime.RemoveContainerAsync(c.Id, deleteLogs: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WhenAllOrAggregate(List<Task> tasks)
    {
        var all = Task.WhenAll(tasks);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch (Exception) when (all.Exception is { } aggregate && !tasks.All(t => t.IsCanceled || t.IsCompletedSuccessfully))
        {
            throw aggregate;
        }
    }
}

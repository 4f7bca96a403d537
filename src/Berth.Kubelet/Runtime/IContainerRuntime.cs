namespace Berth.Kubelet.Runtime;

/// <summary>
/// The CRI-shaped seam between the kubelet (pod workers, probes, hooks, status) and whatever runs containers.
/// The kubelet owns policy (grace periods, preStop, restarts, ordering); the runtime only executes. Mirrors
/// kubernetes/cri-api pkg/apis/services.go (RuntimeService: container and exec parts).
/// </summary>
/// <remarks>
/// All members are thread-safe and may be called concurrently for different containers. An unknown or malformed
/// id throws an <c>ApiException</c> with reason NotFound, except where a member says that NotFound is success.
/// </remarks>
public interface IContainerRuntime
{
    /// <summary>
    /// Creates a container in state Created: its state directory, log directory and pipes exist, nothing runs.
    /// Not idempotent: every call makes a new container. Bad names in <paramref name="config"/> throw BadRequest.
    /// </summary>
    Task<ContainerId> CreateContainerAsync(ContainerConfig config, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a Created container and returns once its main process runs (PID known, logs pumping). When the
    /// executable cannot be found or started, the container becomes Exited with reason StartError (exit 128) and
    /// this throws <see cref="ContainerStartException"/>. Starting a container that is not Created throws BadRequest.
    /// </summary>
    Task StartContainerAsync(ContainerId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="stopSignal"/> to the container's main process (only it, as a runtime signals PID 1),
    /// waits up to <paramref name="gracePeriod"/> on the runtime's <see cref="TimeProvider"/>, then SIGKILLs the whole
    /// process tree, grandchildren and daemons included, and returns once the container is Exited. A zero grace
    /// SIGKILLs at once. A container that is already Exited, never started, or unknown (NotFound) counts as stopped:
    /// this returns without error. Safe to call again with a shorter grace while a stop is in progress: the earlier
    /// deadline wins. Cancellation abandons the wait; the SIGKILL is then not sent.
    /// </summary>
    Task StopContainerAsync(ContainerId id, TimeSpan gracePeriod, int stopSignal, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a container: SIGKILLs whatever still runs in it, waits for it to be gone, and deletes its state
    /// (it disappears from <see cref="ListContainersAsync"/>, also after an agent restart). Its log files are deleted
    /// only when <paramref name="deleteLogs"/> is true, so <c>kubectl logs --previous</c> keeps working.
    /// Removing an unknown container succeeds.
    /// </summary>
    Task RemoveContainerAsync(ContainerId id, bool deleteLogs, CancellationToken cancellationToken = default);

    /// <summary>Every container the runtime knows, in any state, including those adopted after a restart.</summary>
    Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The containers of one pod (<see cref="ContainerConfig.PodUid"/>), in any state: what
    /// <see cref="ListContainersAsync"/> lists for it (CRI ListContainers with a pod filter). The kubelet calls it
    /// several times per pod sync, so a runtime should answer it without snapshotting every other pod's containers;
    /// the default filters the full listing.
    /// </summary>
    async Task<IReadOnlyList<ContainerStatus>> ListPodContainersAsync(string podUid, CancellationToken cancellationToken = default) =>
        [.. (await ListContainersAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.PodUid == podUid)];

    /// <summary>The current status of one container; NotFound when unknown.</summary>
    Task<ContainerStatus> GetContainerStatusAsync(ContainerId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="argv"/> inside a Running container's context (its environment, working directory and
    /// cgroup) and returns its exit code and output. When <paramref name="timeout"/> passes first, the command's
    /// process group is SIGKILLed and the result has <see cref="ExecSyncResult.TimedOut"/> set. Throws BadRequest when
    /// the container is not Running. Used by exec probes and exec lifecycle hooks.
    /// </summary>
    Task<ExecSyncResult> ExecSyncAsync(ContainerId id, IReadOnlyList<string> argv, TimeSpan timeout,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// A stream of container exits from the moment of the call until <paramref name="cancellationToken"/> fires.
    /// Each subscriber gets every exit once, in order; exits before the call are not replayed (list first, then
    /// watch, then relist: the PLEG pattern). Several subscribers may watch at the same time.
    /// </summary>
    IAsyncEnumerable<ContainerExitEvent> WatchContainerExitsAsync(CancellationToken cancellationToken = default);
}

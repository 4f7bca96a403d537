using Berth.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Shutdown;

/// <summary>
/// A runtime whose StopContainer first waits <paramref name="stopDelay"/> on <paramref name="time"/> (a runtime that
/// is slow to kill), then delegates; everything else goes straight to <paramref name="inner"/>.
/// </summary>
internal sealed class SlowStopRuntime(IContainerRuntime inner, TimeProvider time, TimeSpan stopDelay) : IContainerRuntime
{
    public Task<ContainerId> CreateContainerAsync(ContainerConfig config, CancellationToken cancellationToken = default) =>
        inner.CreateContainerAsync(config, cancellationToken);

    public Task StartContainerAsync(ContainerId id, CancellationToken cancellationToken = default) => inner.StartContainerAsync(id, cancellationToken);

    public async Task StopContainerAsync(ContainerId id, TimeSpan gracePeriod, int stopSignal, CancellationToken cancellationToken = default)
    {
        await Task.Delay(stopDelay, time, cancellationToken);
        await inner.StopContainerAsync(id, gracePeriod, stopSignal, cancellationToken);
    }

    public Task RemoveContainerAsync(ContainerId id, bool deleteLogs, CancellationToken cancellationToken = default) =>
        inner.RemoveContainerAsync(id, deleteLogs, cancellationToken);

    public Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(CancellationToken cancellationToken = default) => inner.ListContainersAsync(cancellationToken);

    public Task<ContainerStatus> GetContainerStatusAsync(ContainerId id, CancellationToken cancellationToken = default) =>
        inner.GetContainerStatusAsync(id, cancellationToken);

    public Task<ExecSyncResult> ExecSyncAsync(ContainerId id, IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.ExecSyncAsync(id, argv, timeout, cancellationToken);

    public IAsyncEnumerable<ContainerExitEvent> WatchContainerExitsAsync(CancellationToken cancellationToken = default) =>
        inner.WatchContainerExitsAsync(cancellationToken);
}

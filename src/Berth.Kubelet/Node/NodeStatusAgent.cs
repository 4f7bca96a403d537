using Berth.Client.Events;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Node;

/// <summary>
/// The node half of the agent in one entry point: registers the Node and keeps its status current
/// (<see cref="NodeStatusUpdater"/>), and once registered keeps its Lease renewed (<see cref="NodeLeaseHeartbeat"/>,
/// started after registration so the Lease is owned by the Node from its first write).
/// </summary>
/// <remarks>Mirrors the node-status and node-lease parts of kubernetes/kubernetes pkg/kubelet/kubelet.go (Run). Run once.</remarks>
public sealed class NodeStatusAgent
{
    public NodeStatusAgent(IApiClient client, NodeRegistrationOptions options, MachineInfo machine, TimeProvider timeProvider,
        ILoggerFactory loggerFactory, IEventRecorder? recorder = null)
    {
        StatusUpdater = new NodeStatusUpdater(client, options, machine, timeProvider, loggerFactory, recorder);
        Heartbeat = new NodeLeaseHeartbeat(client, options, timeProvider, loggerFactory.CreateLogger<NodeLeaseHeartbeat>());
    }

    public NodeStatusUpdater StatusUpdater { get; }

    public NodeLeaseHeartbeat Heartbeat { get; }

    /// <summary>Runs registration, status updates and lease renewal until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(StatusUpdater.RunAsync(cancellationToken), RunHeartbeatAsync(cancellationToken));

    private async Task RunHeartbeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StatusUpdater.Registered.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        await Heartbeat.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

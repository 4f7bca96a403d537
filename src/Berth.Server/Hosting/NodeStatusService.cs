using Berth.Kubelet.Node;

namespace Berth.Server.Hosting;

/// <summary>Stage 5: registers this node, keeps its status and its heartbeat Lease fresh for the host's lifetime.</summary>
internal sealed class NodeStatusService(NodeStatusAgent agent) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => agent.RunAsync(stoppingToken);
}

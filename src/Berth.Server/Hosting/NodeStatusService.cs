using Berth.Kubelet.Node;

namespace Berth.Server.Hosting;

/// <summary>
/// Stage 5: registers this node, keeps its status and its heartbeat Lease fresh for the host's lifetime. When the
/// host begins to stop (before any service's StopAsync, so before the kubelet's graceful node shutdown) it posts
/// Ready=False "node is shutting down", as upstream's node shutdown manager does before it kills pods: the node
/// lifecycle controller then taints the node not-ready and the scheduler stops binding the controllers' replacement
/// pods to it, instead of binding each one for the kubelet to reject (a storm of Failed NodeShutdown pods).
/// </summary>
internal sealed class NodeStatusService(NodeStatusAgent agent) : BackgroundService, IHostedLifecycleService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => agent.RunAsync(stoppingToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => agent.StatusUpdater.MarkShuttingDownAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

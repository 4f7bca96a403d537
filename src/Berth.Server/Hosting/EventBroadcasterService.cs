using Berth.Client.Events;

namespace Berth.Server.Hosting;

/// <summary>
/// Writes the events that in-process components record (kubelet, controllers) for the host's lifetime. Registered
/// before the node agent, so it stops after it and the agent's last events (Killing…) still reach the API.
/// </summary>
internal sealed class EventBroadcasterService(EventBroadcaster events) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => events.RunAsync(stoppingToken);
}

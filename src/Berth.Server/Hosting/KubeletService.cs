using Berth.Client.Events;
using Berth.Kubelet;
using Berth.Server.Options;

namespace Berth.Server.Hosting;

/// <summary>
/// Stage 5 (node agent): runs the in-process kubelet for <c>--node-name</c>. Started last, stopped first.
/// <see cref="StopAsync"/> is the graceful node shutdown of issue 3: every pod of the node is terminated within its
/// grace period, bounded by <c>--shutdown-grace-period</c> (critical pods last), and its final status written, while
/// the API, the controllers and the store still run. A SIGKILL of the server skips this; the pods keep running and
/// the next start adopts them.
/// </summary>
internal sealed class KubeletService(Kubelet.Kubelet kubelet, EventBroadcaster events, ServerOptions options) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.WhenAll(
            Task.Run(() => events.RunAsync(_stop.Token), CancellationToken.None),
            Task.Run(() => kubelet.RunAsync(_stop.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await kubelet.ShutdownAsync(options.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The agent's loops end by cancellation; a host stop timeout abandons the wait.
            }
            await kubelet.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using Berth.Kubelet.Network;

namespace Berth.Server.Hosting;

/// <summary>
/// Stage 5, between node registration and the kubelet: follows the Node's <c>spec.podCIDR</c> for the lifetime of
/// the host and, on start, waits (bounded by <see cref="StartWait"/>) until the node IPAM controller has assigned it,
/// so the kubelet's first pods get addresses at once instead of failing and backing off.
/// </summary>
internal sealed class PodCidrService(NodePodCidrWatcher watcher) : IHostedService, IDisposable
{
    /// <summary>How long start waits for the range; afterwards pods simply retry until it arrives.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => watcher.RunAsync(_stop.Token), CancellationToken.None);
        await watcher.WaitForPodCidrAsync(StartWait, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stop.Dispose();
}

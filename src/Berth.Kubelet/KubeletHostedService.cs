using Microsoft.Extensions.Hosting;

namespace Berth.Kubelet;

/// <summary>
/// Runs the <see cref="Kubelet"/> inside a generic host. Start returns at once (the agent runs in the background);
/// stop first performs a graceful node shutdown when <see cref="KubeletOptions.TerminatePodsOnStop"/> is set (pods
/// get their grace, bounded by <see cref="KubeletOptions.ShutdownGracePeriod"/>), then stops the agent's loops. The
/// host's <c>HostOptions.ShutdownTimeout</c> must exceed the shutdown grace period by the shutdown's slack (up to ~15 s:
/// stop-signal floors, the final kill of what still runs, the last status flush), or the host abandons the wait.
/// Register it last so the host stops it first (LIFO): the API and the store must outlive the pods' termination.
/// Start raises the process's thread-pool minimum (<see cref="Util.ThreadPoolFloor"/>), which the agent's timers need.
/// </summary>
public sealed class KubeletHostedService(Kubelet kubelet) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Util.ThreadPoolFloor.Ensure();
        _run = Task.Run(() => kubelet.RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (kubelet.Options.TerminatePodsOnStop)
            {
                await kubelet.ShutdownAsync(kubelet.Options.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_run is not null)
            {
                try
                {
                    await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // A loop cancelled in the middle of an API call (likely with a remote API) ends with this; it is the stop we asked for.
                }
            }
        }
    }

    public void Dispose() => _stop.Dispose();
}

using Berth.Client.Informers;
using Berth.Controllers.Namespaces;
using Berth.Server.Hosting.Controllers;

namespace Berth.Server.Hosting;

/// <summary>
/// Stage 3 (controllers). <see cref="StartAsync"/> finishes the bootstrap (system namespaces) before it returns, so
/// <c>/readyz</c> turns ready only once <c>default</c> exists; then every <see cref="ControllerRegistration"/> runs
/// until stop, started in the background. Mirrors kube-controller-manager's controller start loop (cmd/kube-controller-manager/app/controllermanager.go).
/// </summary>
internal sealed partial class ControllersService(
    SharedInformerFactory informers,
    SystemNamespaces systemNamespaces,
    IEnumerable<ControllerRegistration> controllers,
    IServiceProvider services) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    /// <remarks>
    /// Only the bootstrap is awaited: the controllers (their construction, informers and first lists) are not needed to
    /// serve the API, so they are created and started on a pool thread while the remaining hosted services and Kestrel
    /// start, and <c>/readyz</c> does not wait for them (kube-apiserver's readiness does not wait for the controller
    /// manager either). <see cref="StopAsync"/> waits for that start before it cancels and shuts the informers down.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await systemNamespaces.RunAsync(cancellationToken).ConfigureAwait(false);
        _running = Task.Run(() => RunControllersAsync(_stop.Token), CancellationToken.None);
    }

    private async Task RunControllersAsync(CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }
        List<Func<CancellationToken, Task>> runs;
        try
        {
            runs = [.. controllers.Select(c => c.Create(services))];
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // A controller that cannot be built is a broken server: say so and stop, as a failed start would have.
            Log.ControllersFailed(services.GetRequiredService<ILogger<ControllersService>>(), e);
            services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            return;
        }
        informers.Start(stop);
        await Task.WhenAll(runs.Select(run => Task.Run(() => run(stop), CancellationToken.None))).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Controllers end by cancellation; a stop timeout abandons the wait.
        }
        await informers.ShutdownAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 91, Level = LogLevel.Critical, Message = "Could not create the controllers; stopping the server")]
        public static partial void ControllersFailed(ILogger logger, Exception exception);
    }
}

using Berth.Client.Informers;
using Berth.Controllers.Namespaces;
using Berth.Controllers.PriorityClasses;
using Berth.Controllers.Rbac;
using Berth.Server.Hosting.Controllers;

namespace Berth.Server.Hosting;

/// <summary>
/// Stage 3 (controllers). <see cref="StartAsync"/> finishes the bootstrap (system namespaces, built-in PriorityClasses,
/// the default RBAC policy) before it returns, so <c>/readyz</c> turns ready only once <c>default</c> and the default
/// roles exist; then every
/// <see cref="ControllerRegistration"/> runs until stop. Mirrors kube-controller-manager's controller start loop (cmd/kube-controller-manager/app/controllermanager.go).
/// </summary>
internal sealed class ControllersService(
    SharedInformerFactory informers,
    SystemNamespaces systemNamespaces,
    SystemPriorityClassBootstrap systemPriorityClasses,
    RbacBootstrap rbacBootstrap,
    IEnumerable<ControllerRegistration> controllers,
    IServiceProvider services) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await systemNamespaces.RunAsync(cancellationToken).ConfigureAwait(false);
        // Independent of each other: written together, so the store's group commit shares their fsyncs.
        await Task.WhenAll(systemPriorityClasses.RunAsync(cancellationToken), rbacBootstrap.RunAsync(cancellationToken)).ConfigureAwait(false);
        var runs = controllers.Select(c => c.Create(services)).ToList();
        informers.Start(_stop.Token);
        _running = Task.WhenAll(runs.Select(run => Task.Run(() => run(_stop.Token), CancellationToken.None)));
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
}

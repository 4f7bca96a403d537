using Berth.Client.Informers;
using Berth.Controllers.Bootstrap;
using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlice;
using Berth.Controllers.Deployment;
using Berth.Controllers.GarbageCollector;
using Berth.Controllers.Namespaces;
using Berth.Controllers.NodeIpam;
using Berth.Controllers.NodeLifecycle;
using Berth.Controllers.ReplicaSet;
using Berth.Controllers.Scheduling;
using Berth.Controllers.ServiceAccounts;

namespace Berth.Server.Hosting;

/// <summary>
/// Stage 3 (controllers). <see cref="StartAsync"/> finishes the bootstrap (system namespaces) before it returns, so
/// <c>/readyz</c> turns ready only once <c>default</c> exists; then the level-triggered controllers run until stop.
/// Mirrors kube-controller-manager's controller start loop (cmd/kube-controller-manager/app/controllermanager.go).
/// </summary>
internal sealed class ControllersService(
    SharedInformerFactory informers,
    SystemNamespaces systemNamespaces,
    NamespaceController namespaces,
    ServiceAccountsController serviceAccounts,
    Scheduler scheduler,
    NodeLifecycleController nodeLifecycle,
    TaintEvictionController taintEviction,
    EndpointSliceController endpointSlices,
    EndpointsController endpoints,
    KubernetesService kubernetesService,
    IServiceProvider services,
    Options.ServerOptions options,
    NodeIpamController nodeIpam,
    GarbageCollector garbageCollector,
    ReplicaSetController replicaSets,
    DeploymentController deployments) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await systemNamespaces.RunAsync(cancellationToken).ConfigureAwait(false);
        informers.Start(_stop.Token);
        _running = Task.WhenAll(
            Task.Run(() => namespaces.RunAsync(_stop.Token), CancellationToken.None),
            Task.Run(() => serviceAccounts.RunAsync(_stop.Token), CancellationToken.None),
            Task.Run(() => scheduler.RunAsync(Scheduler.DefaultWorkers, _stop.Token), CancellationToken.None),
            Task.Run(() => nodeLifecycle.RunAsync(1, _stop.Token), CancellationToken.None),
            Task.Run(() => taintEviction.RunAsync(1, _stop.Token), CancellationToken.None),
            Task.Run(() => endpointSlices.RunAsync(EndpointSliceController.DefaultWorkers, _stop.Token), CancellationToken.None),
            Task.Run(() => endpoints.RunAsync(EndpointsController.DefaultWorkers, _stop.Token), CancellationToken.None),
            Task.Run(() => kubernetesService.RunAsync(ct => ApiServerAddress.WhenStartedAsync(services, options, ct), _stop.Token), CancellationToken.None),
            Task.Run(() => nodeIpam.RunAsync(1, _stop.Token), CancellationToken.None),
            Task.Run(() => garbageCollector.RunAsync(2, _stop.Token), CancellationToken.None),
            Task.Run(() => replicaSets.RunAsync(2, _stop.Token), CancellationToken.None),
            Task.Run(() => deployments.RunAsync(2, _stop.Token), CancellationToken.None));
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

using Berth.Controllers.Bootstrap;
using Berth.Controllers.Namespaces;
using Berth.Controllers.NodeIpam;
using Berth.Controllers.NodeLifecycle;
using Berth.Controllers.Scheduling;
using Berth.Controllers.ServiceAccounts;
using Berth.Server.Options;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// The namespace, service account, scheduler, node lifecycle, taint eviction, node IPAM and <c>kubernetes</c>
/// Service controllers. The system namespaces bootstrap is not here: it runs inside the stage's StartAsync.
/// </summary>
internal static class CoreControllers
{
    public static IServiceCollection AddCoreControllers(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<NamespaceController>();
        services.AddControllerRun("namespace", sp => sp.GetRequiredService<NamespaceController>().RunAsync);
        services.AddSingleton<ServiceAccountsController>();
        services.AddControllerRun("serviceaccount", sp => sp.GetRequiredService<ServiceAccountsController>().RunAsync);
        services.AddQueueController("scheduler", Scheduler.DefaultWorkers, sp => new Scheduler(sp.Informers(), sp.Api(),
            sp.Recorder("default-scheduler"), sp.Time(), sp.GetRequiredService<ILogger<Scheduler>>()));
        services.AddQueueController("nodelifecycle", 1, sp => new NodeLifecycleController(sp.Informers(), sp.Api(),
            sp.Recorder("node-controller"), sp.Time(), sp.GetRequiredService<ILogger<NodeLifecycleController>>()));
        services.AddQueueController("taint-eviction", 1, sp => new TaintEvictionController(sp.Informers(), sp.Api(),
            sp.Recorder("taint-eviction-controller"), sp.Time(), sp.GetRequiredService<ILogger<TaintEvictionController>>()));
        services.AddQueueController("nodeipam", 1, sp => new NodeIpamController(sp.Informers(), sp.Api(),
            sp.Recorder("cidrAllocator"), sp.Time(), sp.GetRequiredService<ILogger<NodeIpamController>>(),
            new NodeIpamOptions { ClusterCidr = options.ClusterCidr }));
        services.AddSingleton(sp => new KubernetesServiceOptions
        {
            ServiceIP = sp.GetRequiredService<ServerOptions>().ServiceAllocation().KubernetesServiceIP().ToString(),
        });
        services.AddSingleton<KubernetesService>();
        return services.AddControllerRun("bootstrap-kubernetes-service", sp =>
        {
            var service = sp.GetRequiredService<KubernetesService>();
            return ct => service.RunAsync(c => ApiServerAddress.WhenStartedAsync(sp, sp.GetRequiredService<ServerOptions>(), c), ct);
        });
    }
}

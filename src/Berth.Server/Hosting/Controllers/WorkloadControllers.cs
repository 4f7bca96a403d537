using Berth.Controllers.Deployment;
using Berth.Controllers.GarbageCollector;
using Berth.Controllers.ReplicaSet;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The garbage collector and the workload controllers (apps/v1, batch/v1, policy/v1).</summary>
internal static class WorkloadControllers
{
    public static IServiceCollection AddWorkloadControllers(this IServiceCollection services) => services
        .AddQueueController("garbagecollector", 2, sp => new GarbageCollector(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<GarbageCollector>>()))
        .AddQueueController("replicaset", 2, sp => new ReplicaSetController(sp.Informers(), sp.Api(),
            sp.Recorder("replicaset-controller"), sp.Time(), sp.GetRequiredService<ILogger<ReplicaSetController>>()))
        .AddQueueController("deployment", 2, sp => new DeploymentController(sp.Informers(), sp.Api(),
            sp.Recorder("deployment-controller"), sp.Time(), sp.GetRequiredService<ILogger<DeploymentController>>()));
}

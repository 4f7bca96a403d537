using Berth.Controllers.Rbac;
using Berth.Registry.Rbac;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// The RBAC controllers: ClusterRole aggregation (admin, edit, view and any role with an aggregationRule) and the policy
/// controller that publishes the authorizer's snapshot. The default policy itself is written by <see cref="RbacBootstrap"/>
/// inside the controller stage's StartAsync.
/// </summary>
internal static class RbacControllers
{
    public static IServiceCollection AddRbacControllers(this IServiceCollection services)
    {
        services.AddSingleton<RbacBootstrap>();
        return services
            .AddQueueController("clusterrole-aggregation", 1, sp => new ClusterRoleAggregationController(sp.Informers(), sp.Api(), sp.Time(),
                sp.GetRequiredService<ILogger<ClusterRoleAggregationController>>()))
            .AddQueueController("rbac-policy", 1, sp => new RbacPolicyController(sp.Informers(), sp.GetRequiredService<RbacPolicyHolder>(),
                sp.Time(), sp.GetRequiredService<ILogger<RbacPolicyController>>()));
    }
}

using Berth.Controllers.ResourceQuota;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The resource quota controller (core/v1 ResourceQuota status: hard and used).</summary>
internal static class ResourceQuotaControllers
{
    public static IServiceCollection AddResourceQuotaController(this IServiceCollection services) => services
        .AddQueueController("resourcequota", 1, sp => new ResourceQuotaController(sp.Informers(), sp.Api(), sp.Time(),
            sp.GetRequiredService<ILogger<ResourceQuotaController>>()));
}

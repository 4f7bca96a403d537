using Berth.Controllers.Disruption;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// The disruption controller (policy/v1 PodDisruptionBudget status, whose counts the eviction subresource spends) and
/// its stale DisruptionTarget condition cleanup.
/// </summary>
internal static class DisruptionControllers
{
    /// <summary>Registers both; events carry upstream's source component <c>controllermanager</c>.</summary>
    public static IServiceCollection AddDisruptionController(this IServiceCollection services) => services
        .AddQueueController("disruption", 2, sp => new DisruptionController(sp.Informers(), sp.Api(),
            sp.Recorder("controllermanager"), sp.Time(), sp.GetRequiredService<ILogger<DisruptionController>>()))
        .AddQueueController("disruption-stale-pods", 1, sp => new StalePodDisruptionController(sp.Informers(), sp.Api(), sp.Time(),
            sp.GetRequiredService<ILogger<StalePodDisruptionController>>()));
}

using Berth.Controllers.DaemonSet;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The DaemonSet controller (apps/v1 DaemonSets; events as <c>daemonset-controller</c>).</summary>
internal static class DaemonSetControllers
{
    public static IServiceCollection AddDaemonSetController(this IServiceCollection services) => services
        .AddQueueController("daemonset", 2, sp => new DaemonSetController(sp.Informers(), sp.Api(),
            sp.Recorder("daemonset-controller"), sp.Time(), sp.GetRequiredService<ILogger<DaemonSetController>>()));
}

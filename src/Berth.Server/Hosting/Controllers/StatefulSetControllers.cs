using Berth.Controllers.StatefulSet;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The StatefulSet controller (apps/v1), with events from component <c>statefulset-controller</c>.</summary>
internal static class StatefulSetControllers
{
    public static IServiceCollection AddStatefulSetController(this IServiceCollection services) => services
        .AddQueueController("statefulset", 2, sp => new StatefulSetController(sp.Informers(), sp.Api(),
            sp.Recorder("statefulset-controller"), sp.Time(), sp.GetRequiredService<ILogger<StatefulSetController>>()));
}

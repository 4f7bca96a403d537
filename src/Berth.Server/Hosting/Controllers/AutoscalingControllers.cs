using Berth.ApiServer.ResourceMetrics;
using Berth.Controllers.PodAutoscaler;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The horizontal pod autoscaler (autoscaling/v2), reading pod usage from the resource metrics provider.</summary>
internal static class AutoscalingControllers
{
    /// <summary>Registers it; events carry upstream's source component <c>horizontal-pod-autoscaler</c>.</summary>
    public static IServiceCollection AddHorizontalPodAutoscaler(this IServiceCollection services) => services
        .AddQueueController("horizontal-pod-autoscaler", 2, sp => new HorizontalController(sp.Informers(), sp.Api(),
            new ResourceMetricsPodSource(sp.GetService<IResourceMetricsProvider>()), sp.Recorder("horizontal-pod-autoscaler"), sp.Time(),
            sp.GetRequiredService<ILogger<HorizontalController>>()));
}

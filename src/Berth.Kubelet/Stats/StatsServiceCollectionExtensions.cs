using Berth.ApiServer.ResourceMetrics;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Kubelet.Stats;

/// <summary>Wires the in-process kubelet's <see cref="ResourceAnalyzer"/> as the API server's metrics provider.</summary>
public static class StatsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the analyzer (over the registered <see cref="IContainerRuntime"/>, the <see cref="Kubelet"/>'s pod
    /// manager, procfs and the cgroup2 mount) as <see cref="IResourceMetricsProvider"/>, and its sampling loop. Call
    /// after <c>AddKubelet</c>; the API server's <c>MapResourceMetrics()</c> then serves <c>kubectl top</c>.
    /// </summary>
    public static IServiceCollection AddResourceAnalyzer(this IServiceCollection services, string nodeName)
    {
        services.AddSingleton(sp => new ResourceAnalyzer(sp.GetRequiredService<IContainerRuntime>(),
            sp.GetRequiredService<Kubelet>().Pods, nodeName, new ProcfsStatsSource(cgroup2Mount: Bpf.Cgroup2Mount.Find()),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IResourceMetricsProvider>(sp => sp.GetRequiredService<ResourceAnalyzer>());
        services.AddHostedService<ResourceAnalyzerService>();
        return services;
    }
}

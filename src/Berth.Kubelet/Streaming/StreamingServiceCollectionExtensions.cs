using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Streaming;

/// <summary>Wires the in-process node agent as the API server's <see cref="IPodStreamingBackend"/>.</summary>
public static class StreamingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ProcessStreamingRuntime"/> and <see cref="KubeletStreamingBackend"/> over the registered
    /// <see cref="ProcessContainerRuntime"/>, its <see cref="ProcessRuntimeOptions"/> (log root, containerLogMaxFiles)
    /// and the host's <see cref="TimeProvider"/>. The API server's <c>MapPodStreaming()</c> then serves logs and exec.
    /// </summary>
    public static IServiceCollection AddKubeletStreaming(this IServiceCollection services)
    {
        services.TryAddSingleton<IContainerStreamingRuntime>(sp => new ProcessStreamingRuntime(
            sp.GetRequiredService<ProcessContainerRuntime>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IPodStreamingBackend>(sp =>
        {
            var options = sp.GetRequiredService<ProcessRuntimeOptions>();
            return new KubeletStreamingBackend(sp.GetRequiredService<ProcessContainerRuntime>(),
                sp.GetRequiredService<IContainerStreamingRuntime>(), options.LogDirectory, options.ContainerLogMaxFiles,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KubeletStreamingBackend>>());
        });
        return services;
    }
}

using Berth.Client.Events;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Runtime;
using Berth.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet;

/// <summary>Registers the node agent in a host.</summary>
public static class KubeletServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="Kubelet"/> and its <see cref="KubeletHostedService"/>. The host must register
    /// <see cref="IApiClient"/>, <see cref="IContainerRuntime"/>, <see cref="IVolumeManager"/> and
    /// <see cref="IPodNetwork"/>; events go through a registered <see cref="EventBroadcaster"/> (source
    /// <c>kubelet</c>, host = node name) or else a registered <see cref="IEventRecorder"/>; time comes from a
    /// registered <see cref="TimeProvider"/> or the system clock. Call it after the API server's registrations, so
    /// the agent stops first on shutdown.
    /// </summary>
    public static IServiceCollection AddKubelet(this IServiceCollection services, Func<IServiceProvider, KubeletOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<KubeletOptions>();
            var recorder = sp.GetService<EventBroadcaster>()?.NewRecorder(new EventSource("kubelet", settings.NodeName))
                ?? sp.GetRequiredService<IEventRecorder>();
            return new Kubelet(settings, sp.GetRequiredService<IApiClient>(), sp.GetRequiredService<IContainerRuntime>(),
                sp.GetRequiredService<IVolumeManager>(), sp.GetRequiredService<IPodNetwork>(), recorder,
                sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddHostedService<KubeletHostedService>();
        return services;
    }
}

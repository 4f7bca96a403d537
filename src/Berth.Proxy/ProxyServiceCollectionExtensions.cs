using Berth.Proxy.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Berth.Proxy;

/// <summary>Registration of the service proxy, for <c>berth server</c> and for a standalone agent host.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds the proxy as a hosted service (register it after the controllers and before the kubelet, so it stops after
    /// the kubelet). Needs <see cref="Berth.Client.Informers.SharedInformerFactory"/>, <see cref="TimeProvider"/> and
    /// logging in the container. Adds a per-container <see cref="CollectorRegistry"/> when none is registered; serve it
    /// with <see cref="ProxyEndpointRouteBuilderExtensions.MapProxyMetrics"/>.
    /// </summary>
    public static IServiceCollection AddServiceProxy(this IServiceCollection services, ProxyOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<EndpointStatsRegistry>();
        services.AddSingleton(sp => new ProxyMetrics(sp.GetRequiredService<CollectorRegistry>(), sp.GetRequiredService<EndpointStatsRegistry>()));
        services.AddSingleton(sp => new Proxier(options, sp.GetRequiredService<ProxyMetrics>(), sp.GetRequiredService<EndpointStatsRegistry>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<ProxyServer>();
        return services;
    }
}

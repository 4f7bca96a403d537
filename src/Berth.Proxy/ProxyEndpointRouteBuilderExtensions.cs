using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Berth.Proxy;

public static class ProxyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves <c>GET /metrics</c> in the Prometheus text format from the container's <see cref="CollectorRegistry"/>
    /// (the proxy's series, and any other component's that registers in it). Authentication is whatever the pipeline
    /// applies before endpoints.
    /// </summary>
    public static IEndpointConventionBuilder MapProxyMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>());
}

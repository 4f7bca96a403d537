using Berth.ApiServer.ResourceMetrics;
using Berth.Machinery.Kinds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.ApiServer.Discovery;

/// <summary>Registration of the discovery and version endpoints. Called once by the host's composition root.</summary>
public static class DiscoveryEndpoints
{
    /// <summary>
    /// Registers <see cref="DiscoveryDocuments"/> for every kind in <see cref="KindRegistry"/> and the read-only
    /// resource metrics kinds (<see cref="MetricsKinds"/>, served by <c>MapResourceMetrics</c>) unless already registered.
    /// </summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services)
    {
        services.TryAddSingleton(new DiscoveryDocuments([.. KindRegistry.AllKinds, .. MetricsKinds.All]));
        return services;
    }

    /// <summary>Maps <c>/version</c>, <c>/api</c>, <c>/api/{version}</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c> (GET).</summary>
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/version", DiscoveryHandlers.Version);
        endpoints.MapGet("/api", (HttpContext c, DiscoveryDocuments d) => DiscoveryHandlers.LegacyGroup(c, d));
        endpoints.MapGet("/apis", (HttpContext c, DiscoveryDocuments d) => DiscoveryHandlers.NamedGroups(c, d));
        endpoints.MapGet("/api/{version}", (HttpContext c, DiscoveryDocuments d, string version) =>
            DiscoveryHandlers.ResourceList(c, d, "", version));
        endpoints.MapGet("/apis/{group}", (HttpContext c, DiscoveryDocuments d, string group) =>
            DiscoveryHandlers.Group(c, d, group));
        endpoints.MapGet("/apis/{group}/{version}", (HttpContext c, DiscoveryDocuments d, string group, string version) =>
            DiscoveryHandlers.ResourceList(c, d, group, version));
        return endpoints;
    }
}

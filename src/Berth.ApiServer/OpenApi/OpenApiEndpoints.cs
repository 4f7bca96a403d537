using Berth.ApiServer.Discovery;
using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.OpenApi;

/// <summary>Registration of the OpenAPI endpoints. Called once by the host's composition root.</summary>
public static class OpenApiEndpoints
{
    /// <summary>Registers <see cref="OpenApiV3Catalog"/> for <see cref="KindRegistry"/> unless already registered (it builds nothing until a request).</summary>
    public static IServiceCollection AddOpenApiV3(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new OpenApiV3Catalog(KindRegistry.ServedKinds, logger: sp.GetRequiredService<ILogger<OpenApiV3Catalog>>(),
            trims: sp.GetService<IMemoryTrimScheduler>()));
        return services;
    }

    /// <summary>
    /// Maps <c>/openapi/v3</c>, <c>/openapi/v3/api/{version}</c>, <c>/openapi/v3/apis/{group}/{version}</c> (documents with
    /// schemas, generated on first request) and <c>/openapi/v2</c> (a document without definitions, <see cref="OpenApiV2Document"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapOpenApiV3(this IEndpointRouteBuilder endpoints)
    {
        // Plain RequestDelegates, for the reason given on MapDiscovery.
        var catalog = endpoints.ServiceProvider.GetRequiredService<OpenApiV3Catalog>();
        var time = endpoints.ServiceProvider.GetRequiredService<TimeProvider>();
        endpoints.MapGet("/openapi/v3", c => OpenApiHandlers.Root(c, catalog));
        endpoints.MapGet("/openapi/v3/api/{version}", c => OpenApiHandlers.GroupVersion(c, catalog, time,
            OpenApiV3Catalog.RelativePath("", DiscoveryEndpoints.RouteValue(c, "version"))));
        endpoints.MapGet("/openapi/v3/apis/{group}/{version}", c => OpenApiHandlers.GroupVersion(c, catalog, time,
            OpenApiV3Catalog.RelativePath(DiscoveryEndpoints.RouteValue(c, "group"), DiscoveryEndpoints.RouteValue(c, "version"))));
        endpoints.MapGet("/openapi/v2", OpenApiHandlers.V2);
        return endpoints;
    }
}

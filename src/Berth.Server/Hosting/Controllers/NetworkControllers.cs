using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlice;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The EndpointSlice controller and the legacy Endpoints controller kubectl's <c>get endpoints</c> reads.</summary>
internal static class NetworkControllers
{
    public static IServiceCollection AddNetworkControllers(this IServiceCollection services) => services
        .AddQueueController("endpointslice", EndpointSliceController.DefaultWorkers, sp => new EndpointSliceController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointSliceController>>()))
        .AddQueueController("endpoints", EndpointsController.DefaultWorkers, sp => new EndpointsController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointsController>>()));
}

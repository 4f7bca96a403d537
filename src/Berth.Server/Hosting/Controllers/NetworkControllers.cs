using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlice;
using Berth.Controllers.EndpointSliceMirroring;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// The EndpointSlice controller, the legacy Endpoints controller kubectl's <c>get endpoints</c> reads, and the mirroring
/// controller that turns hand-written Endpoints (Services without a selector) into EndpointSlices.
/// </summary>
internal static class NetworkControllers
{
    public static IServiceCollection AddNetworkControllers(this IServiceCollection services) => services
        .AddQueueController("endpointslice", EndpointSliceController.DefaultWorkers, sp => new EndpointSliceController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointSliceController>>()))
        .AddQueueController("endpoints", EndpointsController.DefaultWorkers, sp => new EndpointsController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointsController>>()))
        .AddQueueController("endpointslice-mirroring", EndpointSliceMirroringController.DefaultWorkers, sp => new EndpointSliceMirroringController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointSliceMirroringController>>()));
}

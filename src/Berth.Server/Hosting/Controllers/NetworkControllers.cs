using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlice;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Controllers.ServiceLB;
using Berth.Server.Options;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// The EndpointSlice controller, the legacy Endpoints controller kubectl's <c>get endpoints</c> reads, the mirroring
/// controller that turns hand-written Endpoints (Services without a selector) into EndpointSlices, and the machine's
/// load balancer for LoadBalancer Services (on the server's bind address, or 127.0.0.1 when it binds every address).
/// </summary>
internal static class NetworkControllers
{
    public static IServiceCollection AddNetworkControllers(this IServiceCollection services, ServerOptions options) => services
        .AddQueueController("endpointslice", EndpointSliceController.DefaultWorkers, sp => new EndpointSliceController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointSliceController>>()))
        .AddQueueController("endpoints", EndpointsController.DefaultWorkers, sp => new EndpointsController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointsController>>()))
        .AddQueueController("endpointslice-mirroring", EndpointSliceMirroringController.DefaultWorkers, sp => new EndpointSliceMirroringController(
            sp.Informers(), sp.Api(), sp.Time(), sp.GetRequiredService<ILogger<EndpointSliceMirroringController>>()))
        .AddQueueController("service-lb", ServiceLoadBalancerController.DefaultWorkers, sp => new ServiceLoadBalancerController(
            sp.Informers(), sp.Api(), sp.Recorder("service-controller"), sp.Time(),
            sp.GetRequiredService<ILogger<ServiceLoadBalancerController>>(), LoadBalancerOptions(options)));

    private static ServiceLoadBalancerOptions LoadBalancerOptions(ServerOptions options)
    {
        var bind = options.BindIPAddress();
        return new ServiceLoadBalancerOptions
        {
            Address = bind.Equals(System.Net.IPAddress.Any) ? System.Net.IPAddress.Loopback : bind,
            ReservedPorts = new HashSet<string> { $"{options.Port}/TCP" },
        };
    }
}

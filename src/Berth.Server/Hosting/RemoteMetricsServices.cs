using Berth.ApiServer.ResourceMetrics;
using Berth.ApiServer.ResourceMetrics.Remote;
using Berth.Registry;

namespace Berth.Server.Hosting;

/// <summary>
/// Makes <c>berth server</c>'s metrics API cover pods on standalone agents: the in-process kubelet's
/// <see cref="IResourceMetricsProvider"/> (registered by the resource analyzer) is wrapped in a
/// <see cref="NodeRoutingMetricsProvider"/> that scrapes every other node's agent.
/// </summary>
internal static class RemoteMetricsServices
{
    /// <summary>Call after the kubelet's registration; <paramref name="token"/> authenticates the server to the agents.</summary>
    public static void AddRemoteResourceMetrics(this IServiceCollection services, string localNode, string token)
    {
        services.AddSingleton(_ => new RemoteResourceMetrics(token));
        services.Decorate<IResourceMetricsProvider>((sp, local) => new NodeRoutingMetricsProvider(localNode, local,
            sp.GetRequiredService<RemoteResourceMetrics>(), sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<ILogger<NodeRoutingMetricsProvider>>()));
    }
}

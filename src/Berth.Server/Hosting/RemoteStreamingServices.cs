using Berth.ApiServer.Streaming;
using Berth.ApiServer.Streaming.Remote;
using Berth.Registry;

namespace Berth.Server.Hosting;

/// <summary>
/// Makes <c>berth server</c> serve pods/log and pods/exec for pods on standalone agents: the in-process kubelet's
/// <see cref="IPodStreamingBackend"/> (registered by the node agent) is wrapped in a
/// <see cref="NodeRoutingStreamingBackend"/> that sends pods of other nodes to their agents.
/// </summary>
internal static class RemoteStreamingServices
{
    /// <summary>Call after the node agent's registration; <paramref name="token"/> authenticates the server to the agents.</summary>
    public static void AddRemotePodStreaming(this IServiceCollection services, string localNode, string token)
    {
        services.AddSingleton(sp => new RemotePodStreamingBackend(sp.GetRequiredService<IApiClient>(), token,
            sp.GetRequiredService<ILogger<RemotePodStreamingBackend>>()));
        services.Decorate<IPodStreamingBackend>((sp, local) => new NodeRoutingStreamingBackend(localNode, local,
            sp.GetRequiredService<RemotePodStreamingBackend>()));
    }
}

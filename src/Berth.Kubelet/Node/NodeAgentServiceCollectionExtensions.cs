using Berth.Client.Events;
using Berth.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Node;

/// <summary>Registration of the node status agent for a composition root.</summary>
public static class NodeAgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="options"/>, the <see cref="MachineInfo"/> of this host (read once) and a
    /// <see cref="NodeStatusAgent"/> recording events as <c>kubelet</c> on the node. Needs <see cref="IApiClient"/>,
    /// <see cref="TimeProvider"/>, <see cref="ILoggerFactory"/> and <see cref="EventBroadcaster"/> registered. No hosted
    /// service is added: the caller runs <see cref="NodeStatusAgent.RunAsync"/> in its node-agent stage.
    /// </summary>
    public static IServiceCollection AddNodeStatusAgent(this IServiceCollection services, NodeRegistrationOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => MachineInfo.Read(options.RootDirectory));
        services.AddSingleton(sp => new NodeStatusAgent(
            sp.GetRequiredService<IApiClient>(), options, sp.GetRequiredService<MachineInfo>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource("kubelet", options.NodeName))));
        return services;
    }
}

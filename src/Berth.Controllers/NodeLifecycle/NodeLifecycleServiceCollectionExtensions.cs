using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.NodeLifecycle;

/// <summary>Registration of the node lifecycle and taint eviction controllers for a composition root.</summary>
public static class NodeLifecycleServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="NodeLifecycleController"/> (events as <c>node-controller</c>) and
    /// <see cref="TaintEvictionController"/> (events as <c>taint-eviction-controller</c>). Needs
    /// <see cref="SharedInformerFactory"/>, <see cref="IApiClient"/>, <see cref="TimeProvider"/> and
    /// <see cref="EventBroadcaster"/> registered; construct both before the informer factory starts, then run each
    /// with <c>RunAsync(1, ct)</c>.
    /// </summary>
    public static IServiceCollection AddNodeLifecycleControllers(this IServiceCollection services, NodeLifecycleOptions? options = null)
    {
        services.AddSingleton(sp => new NodeLifecycleController(
            sp.GetRequiredService<SharedInformerFactory>(), sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource("node-controller")),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NodeLifecycleController>>(), options));
        services.AddSingleton(sp => new TaintEvictionController(
            sp.GetRequiredService<SharedInformerFactory>(), sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource("taint-eviction-controller")),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TaintEvictionController>>()));
        return services;
    }
}

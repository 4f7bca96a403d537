using Berth.Client.Events;
using Berth.Kubelet;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Network;
using Berth.Kubelet.Node;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Streaming;
using Berth.Kubelet.Volumes;
using Berth.Registry;
using Berth.Server.Options;

namespace Berth.Server.Hosting;

/// <summary>
/// Registers the node agent's parts for <c>berth server</c>. Its state lives under <c>&lt;data-dir&gt;/kubelet</c>:
/// <c>pods/</c> (volumes), <c>containers/</c> (runtime state, adopted after a restart), <c>logs/</c> (CRI log files)
/// and <c>pod-ips.json</c> (loopback pod address allocations).
/// </summary>
internal static class KubeletServices
{
    public static void AddKubelet(this IServiceCollection services, ServerOptions options, DataDirectory dir)
    {
        var root = Path.Combine(dir.Root, "kubelet");
        var kubeletOptions = new KubeletOptions
        {
            NodeName = options.NodeName,
            RootDirectory = root,
            ShutdownGracePeriod = options.ShutdownGracePeriod,
            TerminatePodsOnStop = true,
        };
        services.AddSingleton(new ProcessRuntimeOptions
        {
            StateDirectory = Path.Combine(root, "containers"),
            LogDirectory = Path.Combine(root, "logs"),
        });
        services.AddSingleton<ProcessContainerRuntime>();
        services.AddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<ProcessContainerRuntime>());
        services.AddKubeletStreaming();
        services.AddSingleton(new VolumeManagerOptions { PodsDirectory = kubeletOptions.PodsDirectory });
        services.AddSingleton<IVolumeManager, VolumeManager>();
        services.AddSingleton(new PodNetworkOptions { StateDirectory = root });
        services.AddSingleton<IPodNetwork, PodAddressAllocator>();
        services.AddSingleton(sp => new NodeStatusAgent(sp.GetRequiredService<IApiClient>(),
            new NodeRegistrationOptions { NodeName = options.NodeName, RootDirectory = root }, MachineInfo.Read(root),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource("kubelet", options.NodeName))));
        services.AddHostedService<NodeStatusService>();
        Berth.Kubelet.KubeletServiceCollectionExtensions.AddKubelet(services, _ => kubeletOptions);
        services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownGracePeriod + TimeSpan.FromSeconds(15));
    }
}

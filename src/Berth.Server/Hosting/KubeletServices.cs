using Berth.Client.Events;
using Berth.Kubelet;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Network;
using Berth.Kubelet.Node;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Stats;
using Berth.Kubelet.Streaming;
using Berth.Kubelet.Volumes;
using Berth.Registry;
using Berth.Server.Options;

namespace Berth.Server.Hosting;

/// <summary>
/// Registers the node agent's parts, shared by <c>berth server</c> (in-process API) and <c>berth agent</c> (remote
/// API): both only need an <see cref="IApiClient"/>, a <see cref="TimeProvider"/> and an <see cref="EventBroadcaster"/>.
/// State lives under <see cref="NodeAgentSettings.RootDirectory"/>: <c>pods/</c> (volumes), <c>containers/</c> (runtime
/// state, adopted after a restart), <c>logs/</c> (CRI log files) and <c>pod-ips.json</c> (pod address allocations
/// from the node's <c>spec.podCIDR</c>).
/// </summary>
internal static class KubeletServices
{
    /// <summary>The in-process node of <c>berth server</c>: state in <c>&lt;data-dir&gt;/kubelet</c>, cgroup <c>berth.slice</c>.</summary>
    /// <remarks>
    /// The resource analyzer serves the API server's <c>metrics.k8s.io</c> (<c>kubectl top</c>) for this node.
    /// </remarks>
    public static void AddKubelet(this IServiceCollection services, ServerOptions options, DataDirectory dir)
    {
        services.AddNodeAgent(new NodeAgentSettings(options.NodeName, Path.Combine(dir.Root, "kubelet"), options.ShutdownGracePeriod, "berth.slice")
        {
            ClusterDns = options.DnsPort == 53 ? [options.ClusterDns] : [],
            ClusterDomain = options.ClusterDomain,
        });
        services.AddResourceAnalyzer(options.NodeName);
    }

    /// <summary>Node registration and status, pod CIDR, runtime, volumes, network, streaming and the kubelet, in start order.</summary>
    public static void AddNodeAgent(this IServiceCollection services, NodeAgentSettings settings,
        Func<NodeRegistrationOptions, NodeRegistrationOptions>? registration = null)
    {
        var root = settings.RootDirectory;
        var kubeletOptions = new KubeletOptions
        {
            NodeName = settings.NodeName,
            RootDirectory = root,
            ShutdownGracePeriod = settings.ShutdownGracePeriod,
            TerminatePodsOnStop = true,
            ClusterDns = settings.ClusterDns,
            ClusterDomain = settings.ClusterDomain,
        };
        services.AddSingleton(new ProcessRuntimeOptions
        {
            StateDirectory = Path.Combine(root, "containers"),
            LogDirectory = Path.Combine(root, "logs"),
            CgroupName = settings.CgroupName,
        });
        services.AddSingleton<ProcessContainerRuntime>();
        services.AddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<ProcessContainerRuntime>());
        services.AddKubeletStreaming();
        services.AddSingleton(new VolumeManagerOptions { PodsDirectory = kubeletOptions.PodsDirectory });
        services.AddSingleton<IVolumeManager, VolumeManager>();
        services.AddSingleton(new PodNetworkOptions { StateDirectory = root, FromNodePodCidr = true });
        services.AddSingleton<PodAddressAllocator>();
        services.AddSingleton<IPodNetwork>(sp => sp.GetRequiredService<PodAddressAllocator>());
        var nodeOptions = new NodeRegistrationOptions { NodeName = settings.NodeName, RootDirectory = root };
        nodeOptions = registration?.Invoke(nodeOptions) ?? nodeOptions;
        services.AddSingleton(sp => new NodeStatusAgent(sp.GetRequiredService<IApiClient>(), nodeOptions, MachineInfo.Read(root),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource("kubelet", settings.NodeName))));
        services.AddHostedService<NodeStatusService>();
        services.AddSingleton(sp => new NodePodCidrWatcher(sp.GetRequiredService<IApiClient>(), sp.GetRequiredService<PodAddressAllocator>(),
            settings.NodeName, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<PodCidrService>();
        Berth.Kubelet.KubeletServiceCollectionExtensions.AddKubelet(services, _ => kubeletOptions);
        // The graceful node shutdown may take the grace period plus its slack (stop-signal floors, the final kill of what
        // still runs, the last status flush); the host must not cancel it before.
        services.Configure<HostOptions>(h => h.ShutdownTimeout = settings.ShutdownGracePeriod + TimeSpan.FromSeconds(20));
    }
}

using Berth.Client.Events;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Kubelet.Lifecycle;
using Berth.Kubelet.Network.Dns;
using Berth.Kubelet.Pleg;
using Berth.Kubelet.Prober;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Status;
using Berth.Kubelet.Util;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet;

/// <summary>
/// The node agent: watches the pods bound to <see cref="KubeletOptions.NodeName"/> and drives each through its pod
/// worker; adopts the runtime's containers at start (containers of pods that still exist are kept and their workers
/// resume probes and termination; containers of pods that are gone are killed with grace 1); wakes workers on
/// container exits (PLEG) and probe results; runs housekeeping (orphans, finished workers, container GC); and
/// implements graceful node shutdown (<see cref="ShutdownAsync"/>). Every API access goes through
/// <see cref="IApiClient"/>, so the agent also runs against a remote API server. Mirrors kubernetes/kubernetes
/// pkg/kubelet/kubelet.go (Kubelet, Run, syncLoop, HandlePod*, HandlePodCleanups).
/// </summary>
/// <remarks>
/// <see cref="RunAsync"/> runs once; its cancellation stops the agent without touching pods (they keep running and
/// a new agent adopts them). Thread-safe.
/// </remarks>
public sealed partial class Kubelet : IAsyncDisposable
{
    private readonly KubeletOptions _options;
    private readonly IApiClient _api;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly IEventRecorder _recorder;

    public Kubelet(KubeletOptions options, IApiClient api, IContainerRuntime runtime, IVolumeManager volumes, IPodNetwork network,
        IEventRecorder recorder, TimeProvider time, ILoggerFactory loggerFactory)
    {
        (_options, _api, _time, _loggerFactory, _recorder) = (options, api, time, loggerFactory, recorder);
        _logger = loggerFactory.CreateLogger<Kubelet>();
        _http = LifecycleHttpClients.Create();
        var handlers = new HandlerRunner(runtime, _http, recorder, time, loggerFactory.CreateLogger<HandlerRunner>());
        StatusManager = new StatusManager(api, time, loggerFactory.CreateLogger<StatusManager>(), options.StatusSyncPeriod,
            options.PendingStatusHold, options.MaxConcurrentStatusWrites);
        Probes = new ProbeManager(new Prober.Prober(runtime, _http, recorder, time, loggerFactory.CreateLogger<Prober.Prober>()),
            StatusManager, time, options.EnableProbes);
        var reasons = new ReasonCache();
        var killer = new ContainerKiller(runtime, handlers, recorder, time, loggerFactory.CreateLogger<ContainerKiller>());
        var node = new NodeAllocatable(options.NodeAllocatableCpu, options.NodeAllocatableMemory, EphemeralStorageOf(options.RootDirectory));
        var starter = new ContainerStarter(runtime, CreateConfigGenerator(options, api, runtime, recorder, node), handlers,
            killer, recorder, loggerFactory.CreateLogger<ContainerStarter>());
        var backOff = new Backoff(options.CrashLoopBackOffInitial, options.CrashLoopBackOffMax, time);
        RuntimeManager = new KubeRuntimeManager(runtime, new PodActionsCalculator(Probes), starter, killer, backOff, reasons, recorder,
            loggerFactory.CreateLogger<KubeRuntimeManager>());
        Syncer = new PodSyncer(RuntimeManager, StatusManager, new PodStatusGenerator(Probes, reasons), Probes, volumes, network,
            new PodSandboxes(), reasons, backOff, recorder, loggerFactory.CreateLogger<PodSyncer>());
        PodWorkers = new PodWorkers(Syncer, time, options, loggerFactory.CreateLogger<PodWorkers>());
        Pleg = new PodLifecycleEventGenerator(runtime, time, options.RelistPeriod, loggerFactory.CreateLogger<PodLifecycleEventGenerator>());
        CrashLoopBackOff = backOff;
        StatusManager.Bind(uid => Pods.Get(uid), PodWorkers.CouldHaveRunningContainers);
        Pleg.Handler = e => HandlePodEvent(e.PodUid);
        Probes.Liveness.Updated += OnProbeResult;
        Probes.Startup.Updated += OnProbeResult;
        Probes.Readiness.Updated += OnProbeResult;
    }

    public KubeletOptions Options => _options;

    /// <summary>The desired pods of this node.</summary>
    public PodManager Pods { get; } = new();

    public PodWorkers PodWorkers { get; }

    public StatusManager StatusManager { get; }

    public ProbeManager Probes { get; }

    public PodSyncer Syncer { get; }

    public KubeRuntimeManager RuntimeManager { get; }

    public PodLifecycleEventGenerator Pleg { get; }

    internal Backoff CrashLoopBackOff { get; }

    public async ValueTask DisposeAsync()
    {
        await PodWorkers.StopAsync().ConfigureAwait(false);
        Probes.StopAll();
        _http.Dispose();
    }

    // A runtime with mount namespaces gets volumeMounts and the pod's resolv.conf; one without rejects containers whose
    // volumeMounts need them (CreateContainerConfigError); any other runtime (fakes) gets the volumeMounts only.
    private static ContainerConfigGenerator CreateConfigGenerator(KubeletOptions options, IApiClient api, IContainerRuntime runtime,
        IEventRecorder recorder, NodeAllocatable node)
    {
        var environment = new EnvironmentResolver(api, recorder, node);
        if (runtime is not IMountNamespaceCapability capability)
        {
            return new ContainerConfigGenerator(environment);
        }
        if (!capability.SupportsMountNamespaces)
        {
            return new ContainerConfigGenerator(environment, capability.MountNamespaceReason);
        }
        var host = File.Exists(options.ResolverConfig) ? ResolvConfParser.Parse(File.ReadAllText(options.ResolverConfig)) : PodDnsConfig.Empty;
        var resolvConf = new PodResolvConf(new DnsConfigurer(options.ClusterDns, options.ClusterDomain, host), options.PodsDirectory, recorder);
        return new ContainerConfigGenerator(environment, podMounts: resolvConf.MountsFor);
    }

    private static long EphemeralStorageOf(string directory)
    {
        try
        {
            var root = Path.GetPathRoot(Path.GetFullPath(directory)) ?? "/";
            return new DriveInfo(root).TotalSize;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

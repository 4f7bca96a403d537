using System.Collections.Concurrent;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Network.PodSockets;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Berth.Machinery.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Runs each container as a local process tree: a per-container shim (the native <see cref="NativeShim"/>, else the
/// sh <see cref="ContainerShim"/>) supervises the
/// main process, which leads its own session and, when the machine allows, its own cgroup v2. Output goes through
/// FIFOs that the shim keeps open into CRI-format log files pumped by this agent; exit codes are written by the
/// shim, so containers keep running, logging and recording their exit across an agent crash, and a new instance
/// over the same <see cref="ProcessRuntimeOptions.StateDirectory"/> adopts them (<see cref="AdoptExisting"/>).
/// Mirrors kubernetes/cri-api RuntimeService as containerd implements it, with tye's ProcessUtil/ReplicaRegistry
/// as the process-level model.
/// </summary>
/// <remarks>
/// Signal semantics: the stop signal goes to the main process only, as a runtime sends it to PID 1. Unlike a
/// container's PID 1 (which the kernel shields from default-action signals), our main process is an ordinary host
/// process: without a handler, SIGTERM kills it at once (exit 143, reason Error); a handler that exits 0 gives
/// Completed; a process that ignores SIGTERM is SIGKILLed with its whole tree at the grace deadline (exit 137).
/// Thread-safe. <see cref="Dispose"/> stops pumping and watching but never stops containers.
/// </remarks>
public sealed partial class ProcessContainerRuntime : IContainerRuntime, IMountNamespaceCapability, IDisposable
{
    private readonly ProcessRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FdPoller _poller;
    private readonly CgroupManager? _cgroups;
    private readonly PodSocketAddresses? _podSockets;
    private readonly bool _hasSetsid;
    private readonly MountNamespaceSupport? _mountNamespaces;
    private readonly string? _mountScript;
    private readonly string? _nativeShim;
    private readonly ConcurrentDictionary<ContainerId, ContainerRecord> _containers = new();
    private readonly ExitBroadcaster _exits = new();

    /// <summary>Detects containment (cgroup2 or process group), starts the poller thread and adopts live containers.</summary>
    public ProcessContainerRuntime(ProcessRuntimeOptions options, TimeProvider time, ILogger<ProcessContainerRuntime> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        CreatePrivateDirectory(options.StateDirectory);
        Directory.CreateDirectory(options.LogDirectory);
        _hasSetsid = File.Exists(ContainerShim.SetsidPath);
        var reason = "disabled by configuration";
        _cgroups = options.Containment == ContainmentMode.Auto ? CgroupManager.TryCreate(options.CgroupName, logger, out reason) : null;
        Containment = _cgroups is not null
            ? $"cgroup2 ({_cgroups.Parent})"
            : $"process group + {ContainerMarker.Variable} marker scan ({reason})";
        Log.ContainmentChosen(_logger, Containment);
        var socketsReason = _cgroups is null ? "needs cgroup containment" : "disabled by configuration";
        _podSockets = _cgroups is not null && options.PodSocketAddresses
            ? PodSocketAddresses.TryCreate(_cgroups.Parent, logger, out socketsReason)
            : null;
        Log.PodSocketAddressesChosen(_logger, _podSockets is not null, socketsReason);
        _mountNamespaces = MountNamespaceSupport.Detect(options.MountNamespaces, out var mountReason);
        _mountScript = _mountNamespaces is null ? null : MountScript.Build(_mountNamespaces);
        MountNamespaceReason = mountReason;
        Log.MountNamespacesChosen(_logger, _mountNamespaces is not null, mountReason);
        _nativeShim = ChooseShim(options.Shim);
        if (_nativeShim is not null && _mountNamespaces is not null)
        {
            CreatePrivateDirectory(NativeShim.ShadowDirectory(options.StateDirectory));
        }
        ShimDescription = _nativeShim is null ? $"sh ({ContainerShim.Shell})" : $"native ({_nativeShim})";
        Log.ShimChosen(_logger, ShimDescription);
        _poller = new FdPoller(logger);
        AdoptExisting();
    }

    /// <summary>Which containment is in use and why, for startup logs and diagnostics.</summary>
    public string Containment { get; }

    /// <summary>Which shim starts containers (native <c>berth-shim</c> or sh) and where it is, for logs and tests.</summary>
    public string ShimDescription { get; }

    /// <summary>True when containers get their own cgroup.</summary>
    public bool UsesCgroups => _cgroups is not null;

    /// <summary>True when pods' wildcard and localhost binds move onto their pod IP (<see cref="PodSocketAddresses"/>).</summary>
    public bool MovesPodBinds => _podSockets is not null;

    // Registers a container cgroup with its pod's address, before any process joins it (start) or again (adoption).
    private void RegisterPodSockets(ContainerRecord record)
    {
        if (_podSockets is not null && record.State is { Cgroup: { } cgroup, Config.PodAddress: { } address }
            && System.Net.IPAddress.TryParse(address, out var ip))
        {
            _podSockets.Register(cgroup, ip);
        }
    }

    public Task<ContainerId> CreateContainerAsync(ContainerConfig config, CancellationToken cancellationToken = default)
    {
        ContainerConfigValidator.Validate(config);
        var id = ContainerId.New();
        var paths = ContainerPaths.For(_options.StateDirectory, config.PodUid, id.Value);
        CreatePrivateDirectory(paths.Directory);
        MakeFifo(paths.StdoutFifo);
        MakeFifo(paths.StderrFifo);
        if (config.Stdin || config.Tty)
        {
            MakeFifo(paths.ControlFifo);
        }
        if (config.Stdin)
        {
            MakeFifo(paths.StdinFifo);
        }
        var logPath = ContainerPaths.LogPath(_options.LogDirectory, config);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var state = new ContainerStateFile
        {
            Id = id.Value,
            Config = config with { Environment = new Dictionary<string, string>() },
            LogPath = logPath,
            State = ContainerState.Created,
            CreatedAt = _time.GetUtcNow(),
        };
        var record = new ContainerRecord(id, paths, state, config.Environment);
        lock (record.Gate)
        {
            record.Save();
        }
        _containers[id] = record;
        Log.Created(_logger, config.PodUid, config.ContainerName, id.Value);
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ContainerStatus>>(_containers.Select(p => Snapshot(p.Value)).ToList());

    /// <remarks>
    /// Snapshots only the pod's containers (the pod UID of a record never changes, so no lock is needed to filter).
    /// Both listings enumerate the dictionary itself, which takes no lock, unlike <c>.Values</c>, which takes every
    /// bucket lock to copy all records.
    /// </remarks>
    public Task<IReadOnlyList<ContainerStatus>> ListPodContainersAsync(string podUid, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ContainerStatus>>(_containers.Where(p => p.Value.State.Config.PodUid == podUid).Select(p => Snapshot(p.Value)).ToList());

    public Task<ContainerStatus> GetContainerStatusAsync(ContainerId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Snapshot(Get(id)));

    public IAsyncEnumerable<ContainerExitEvent> WatchContainerExitsAsync(CancellationToken cancellationToken = default) =>
        _exits.Subscribe(cancellationToken);

    /// <summary>Stops pumping logs and watching exits. Containers keep running; a new instance adopts them.</summary>
    public void Dispose()
    {
        foreach (var record in _containers.Values)
        {
            record.Pump?.Detach(_poller);
        }
        _poller.Dispose();
        _exits.Complete();
        _podSockets?.Dispose();
    }

    private static ContainerStatus Snapshot(ContainerRecord record)
    {
        lock (record.Gate)
        {
            return record.State.ToStatus();
        }
    }

    private ContainerRecord Get(ContainerId id) =>
        _containers.TryGetValue(id, out var record) ? record : throw ApiErrors.NotFound("containers", id.Value ?? "");

    // 0700: state directories hold the FIFOs and exit files of the containers.
    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The process container runtime runs on Linux only.");
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    // Auto: native when built next to the application. Native without the binary is a configuration error.
    private static string? ChooseShim(ContainerShimKind kind) => kind switch
    {
        ContainerShimKind.Script => null,
        ContainerShimKind.Native => NativeShim.Locate()
            ?? throw new InvalidOperationException($"the native shim {NativeShim.FileName} is missing from {AppContext.BaseDirectory}"),
        _ => NativeShim.Locate(),
    };

    private static void MakeFifo(string path)
    {
        if (Libc.mkfifo(path, Convert.ToInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo {path}: errno {Libc.LastError}");
        }
    }
}

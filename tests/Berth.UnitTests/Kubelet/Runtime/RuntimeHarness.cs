using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// A <see cref="ProcessContainerRuntime"/> over a fresh temp directory. <see cref="Restart"/> simulates an agent
/// restart (new instance, same directories). Dispose removes every container (no process survives a test) and the
/// directory.
/// </summary>
internal sealed class RuntimeHarness : IDisposable
{
    private readonly ContainmentMode _mode;
    private readonly long _logMaxSize;
    private readonly int _logMaxFiles;
    private readonly TimeProvider _time;
    private readonly ILogger<ProcessContainerRuntime> _logger;
    private readonly MountNamespaceMode _mountNamespaces;
    private readonly ContainerShimKind _shim;

    public RuntimeHarness(ContainmentMode mode = ContainmentMode.Auto, long logMaxSize = 10 * 1024 * 1024,
        int logMaxFiles = 5, TimeProvider? time = null, ILogger<ProcessContainerRuntime>? logger = null,
        MountNamespaceMode mountNamespaces = MountNamespaceMode.Auto, ContainerShimKind shim = ContainerShimKind.Auto)
    {
        _mountNamespaces = mountNamespaces;
        _shim = shim;
        (_mode, _logMaxSize, _logMaxFiles, _time) = (mode, logMaxSize, logMaxFiles, time ?? TimeProvider.System);
        _logger = logger ?? NullLogger<ProcessContainerRuntime>.Instance;
        Root = Path.Combine(Path.GetTempPath(), "berth-rt-" + Guid.NewGuid().ToString("N")[..10]);
        Runtime = CreateRuntime();
    }

    public string Root { get; }

    public string StateDirectory => Path.Combine(Root, "state");

    public string LogDirectory => Path.Combine(Root, "logs");

    public ProcessContainerRuntime Runtime { get; private set; }

    public static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, "testassets", "process", name);

    /// <summary>A scratch file path under the harness root (for scripts that record what they saw).</summary>
    public string Scratch(string name) => Path.Combine(Root, name);

    public static ContainerConfig Config(params string[] argv) => new()
    {
        PodUid = "0b5c3d7e-1111-4a2b-9c3d-000000000001",
        PodNamespace = "default",
        PodName = "web",
        ContainerName = "app",
        Argv = argv,
    };

    public async Task<ContainerId> RunAsync(ContainerConfig config)
    {
        var id = await Runtime.CreateContainerAsync(config).DefaultTimeout();
        await Runtime.StartContainerAsync(id).DefaultTimeout();
        return id;
    }

    public async Task<ContainerStatus> WaitExitedAsync(ContainerId id)
    {
        ContainerStatus? status = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            status = await Runtime.GetContainerStatusAsync(id);
            return status.State == ContainerState.Exited;
        }, because: "container exits");
        return status!;
    }

    /// <summary>Disposes the current instance (containers keep running) and builds a new one over the same directories.</summary>
    public ProcessContainerRuntime Restart()
    {
        Runtime.Dispose();
        Runtime = CreateRuntime();
        return Runtime;
    }

    public void Dispose()
    {
        foreach (var c in Runtime.ListContainersAsync().GetAwaiter().GetResult())
        {
            Runtime.RemoveContainerAsync(c.Id, deleteLogs: true).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        Runtime.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect other tests.
        }
    }

    private ProcessContainerRuntime CreateRuntime() => new(new ProcessRuntimeOptions
    {
        StateDirectory = StateDirectory,
        LogDirectory = LogDirectory,
        Containment = _mode,
        ContainerLogMaxSize = _logMaxSize,
        ContainerLogMaxFiles = _logMaxFiles,
        MountNamespaces = _mountNamespaces,
        Shim = _shim,
    }, _time, _logger);
}

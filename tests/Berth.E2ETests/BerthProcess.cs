using System.Text.RegularExpressions;
using Berth.Testing.Processes;

namespace Berth.E2ETests;

/// <summary>
/// The real <c>berth server</c> executable, started as a child process on a free loopback port with its own data dir.
/// Disposal sends SIGTERM and waits (bounded) for a clean exit, then leaves no pod process behind (<see cref="BerthChildProcess"/>);
/// <see cref="KillAsync"/> simulates a crash.
/// </summary>
public sealed partial class BerthProcess : IAsyncDisposable
{
    /// <summary>berth server's default <c>--shutdown-grace-period</c>.</summary>
    private static readonly TimeSpan DefaultShutdownGracePeriod = TimeSpan.FromSeconds(30);

    private readonly BerthChildProcess _child;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BerthProcess(string dataDir, string[] extraArgs, int port)
    {
        var args = new[] { "server", "--data-dir", dataDir, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Concat(IsolationArgs(dataDir, extraArgs)).Concat(extraArgs);
        _child = new BerthChildProcess(dataDir, args, StopTimeoutFor(extraArgs), OnLine,
            () => _ready.TrySetException(new InvalidOperationException("berth exited early:\n" + Output)));
    }

    /// <summary>
    /// Servers of parallel tests share the machine's loopback: unless a test chooses, cluster DNS is off (port 53 is
    /// taken by the first server) and pods and Services get ranges of their own (TestNetworkRanges), derived from the data dir so that a restart over
    /// the same data keeps its range, so proxies of different servers never contend for one ClusterIP.
    /// </summary>
    private static IEnumerable<string> IsolationArgs(string dataDir, string[] extraArgs)
    {
        if (!extraArgs.Contains("--dns-port"))
        {
            yield return "--dns-port";
            yield return "0";
        }
        if (!extraArgs.Contains("--service-cluster-ip-range"))
        {
            yield return "--service-cluster-ip-range";
            yield return Berth.Testing.Server.TestNetworkRanges.ServiceClusterIPRange(dataDir);
        }
        if (!extraArgs.Contains("--cluster-cidr"))
        {
            yield return "--cluster-cidr";
            yield return Berth.Testing.Server.TestNetworkRanges.ClusterCidr(dataDir);
        }
    }

    public string DataDir => _child.DataDir;

    public Uri BaseUri => _ready.Task.Result;

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig");

    public int Pid => _child.Pid;

    public bool HasExited => _child.HasExited;

    public int ExitCode => _child.ExitCode;

    public string Output => _child.Output;

    /// <summary>
    /// Starts berth with a fresh data dir (deleted at disposal) or <paramref name="dataDir"/> to restart over existing
    /// state, and waits until it serves.
    /// </summary>
    public static async Task<BerthProcess> StartAsync(string? dataDir = null, int port = 0, params string[] extraArgs)
    {
        dataDir ??= TestDataDirectories.CreateOwned("berth-e2e-");
        var p = new BerthProcess(dataDir, extraArgs, port);
        p._child.Start();
        await p._ready.Task.DefaultTimeout(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return p;
    }

    /// <summary>kill -9: no cleanup runs in the server; its pods keep running for a restart over <see cref="DataDir"/>.</summary>
    public Task KillAsync() => _child.KillAsync();

    /// <summary>Sends <paramref name="signal"/> to the server process (15 = SIGTERM) without waiting.</summary>
    public void Signal(int signal) => _child.Signal(signal);

    /// <summary>Waits (bounded) for the server to exit after a signal.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => _child.WaitForExitAsync(timeout);

    /// <summary>SIGTERM and a bounded wait for the graceful stop; then its pods' leftovers are killed (unless crashed) and an owned data dir deleted.</summary>
    public ValueTask DisposeAsync() => _child.DisposeAsync();

    /// <summary>The wait after SIGTERM for the server's shutdown grace period (from the flags).</summary>
    private static TimeSpan StopTimeoutFor(string[] extraArgs)
    {
        var i = Array.IndexOf(extraArgs, "--shutdown-grace-period");
        var grace = i >= 0 && i + 1 < extraArgs.Length ? ParseSeconds(extraArgs[i + 1]) : DefaultShutdownGracePeriod;
        return NodeStopTimeout.For(grace);
    }

    /// <summary>The durations tests pass (<c>10s</c>, <c>1m</c>); anything else counts as the default.</summary>
    internal static TimeSpan ParseSeconds(string text) =>
        text.EndsWith('s') && int.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s)
        : text.EndsWith('m') && int.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var m) ? TimeSpan.FromMinutes(m)
        : DefaultShutdownGracePeriod;

    private void OnLine(string line)
    {
        var m = ServingLine().Match(line);
        if (m.Success)
        {
            _ready.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    /// <summary>The berth binary next to this test assembly's build configuration.</summary>
    internal static string LocateBinary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("repository root not found");
        }
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(dir.FullName, "src", "Berth.Server", "bin", config, "net10.0", "berth");
    }

    [GeneratedRegex(@"serving on (https?://\S+)")]
    private static partial Regex ServingLine();
}

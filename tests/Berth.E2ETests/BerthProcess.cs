using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Berth.E2ETests;

/// <summary>
/// The real <c>berth server</c> executable, started as a child process on a free loopback port with its own data dir.
/// Disposal sends SIGTERM and waits (bounded) for a clean exit; <see cref="KillAsync"/> simulates a crash.
/// </summary>
public sealed partial class BerthProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BerthProcess(string dataDir, string[] extraArgs, int port)
    {
        DataDir = dataDir;
        var psi = new ProcessStartInfo(LocateBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "server", "--data-dir", dataDir, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Concat(IsolationArgs(dataDir, extraArgs)).Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("berth exited early:\n" + Output));
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

    public string DataDir { get; }

    public Uri BaseUri => _ready.Task.Result;

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig");

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts berth with a fresh data dir (or <paramref name="dataDir"/> to restart over existing state) and waits until it serves.</summary>
    public static async Task<BerthProcess> StartAsync(string? dataDir = null, int port = 0, params string[] extraArgs)
    {
        dataDir ??= Directory.CreateTempSubdirectory("berth-e2e-").FullName;
        var p = new BerthProcess(dataDir, extraArgs, port);
        p._process.Start();
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        await p._ready.Task.DefaultTimeout(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return p;
    }

    /// <summary>kill -9: no cleanup runs in the server.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Interop.Kill(_process.Id, 15);
            try
            {
                await _process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
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

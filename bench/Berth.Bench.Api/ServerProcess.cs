using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Bench.Api;

/// <summary>
/// A real <c>berth server</c> child process with its own scratch data directory (deleted on disposal). Stdout and
/// stderr are drained continuously (the last lines are kept for error messages). Disposal sends SIGTERM and waits up
/// to 30 s before killing. Not thread-safe apart from the output callbacks.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 100;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly bool _ownsDataDir;

    private ServerProcess(BenchOptions options, string dataDir, bool ownsDataDir, string store, int port, TimeProvider time)
    {
        DataDir = dataDir;
        Store = store;
        _ownsDataDir = ownsDataDir;
        _time = time;
        var psi = new ProcessStartInfo(options.BerthBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "server", "--data-dir", dataDir, "--port", port.ToString(CultureInfo.InvariantCulture), "--store", store })
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var arg in options.ServerArguments)
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in LauncherEnvironment)
        {
            psi.Environment[name] = value;
        }
        foreach (var (name, value) in options.ServerEnvironment)
        {
            psi.Environment[name] = value;
        }
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _serving.TrySetException(new InvalidOperationException($"berth exited early:\n{Output}"));
    }

    /// <summary>
    /// What the <c>./berth</c> launcher exports before it runs the binary (the 4 MiB gen0 budget, see the launcher), so
    /// the bench measures the server as users start it; <c>--server-env</c> overrides it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LauncherEnvironment = new Dictionary<string, string>
    {
        ["DOTNET_GCgen0size"] = "0x400000",
    };

    /// <summary>Every line of the server's stdout and stderr as it is read (on the reading thread; <see cref="Output"/> keeps only the last 100).</summary>
    public event Action<string>? LineReceived;

    public string DataDir { get; }

    public string Store { get; }

    public int Pid => _process.Id;

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) taken just before the process was spawned.</summary>
    public long SpawnedAt { get; private set; }

    /// <summary>Timestamp at which the <c>serving on</c> line was read.</summary>
    public long ServingAt { get; private set; }

    public Uri BaseUri => _serving.Task.IsCompletedSuccessfully ? _serving.Task.Result : throw new InvalidOperationException("not serving yet");

    public Task<Uri> Serving => _serving.Task;

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

    /// <summary>Spawns berth without waiting for it. A null <paramref name="dataDir"/> means a fresh scratch directory.</summary>
    public static ServerProcess Spawn(BenchOptions options, string store, TimeProvider time, int port = 0, string? dataDir = null)
    {
        var owns = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("berth-bench-").FullName;
        var server = new ServerProcess(options, dataDir, owns, store, port, time);
        server.SpawnedAt = time.GetTimestamp();
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Spawns berth and waits (at most 60 s) for its <c>serving on</c> line.</summary>
    public static async Task<ServerProcess> StartAsync(BenchOptions options, string store, TimeProvider time, string? dataDir = null)
    {
        var server = Spawn(options, store, time, 0, dataDir);
        try
        {
            await server.Serving.WaitAsync(TimeSpan.FromSeconds(60), time).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ProcessMemory Memory() => ProcessMemory.Read(_process.Id);

    /// <summary>CPU time the server has used so far (see <see cref="ProcessCpu"/>).</summary>
    public TimeSpan Cpu() => ProcessCpu.Read(_process.Id);

    /// <summary>SIGTERM, then a bounded wait; the scratch data directory is kept when <paramref name="keepData"/>.</summary>
    public async Task StopAsync(bool keepData)
    {
        if (!_process.HasExited)
        {
            Libc.Kill(_process.Id, Libc.SigTerm);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30), _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        if (!keepData && _ownsDataDir && Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(keepData: false).ConfigureAwait(false);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        LineReceived?.Invoke(line);
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
        var m = ServingLine().Match(line);
        if (m.Success && !_serving.Task.IsCompleted)
        {
            ServingAt = _time.GetTimestamp();
            _serving.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"serving on (https://\S+)")]
    private static partial Regex ServingLine();
}

using System.Diagnostics;
using Berth.Testing.Processes;

namespace Berth.E2ETests;

/// <summary>
/// The lifecycle shared by <see cref="BerthProcess"/> and <see cref="AgentProcess"/>: one <c>berth</c> child process
/// with its output collected, and a disposal that leaves nothing behind. Disposal sends SIGTERM and waits (bounded
/// by <see cref="StopTimeout"/>, which covers the graceful node shutdown) for the exit; SIGKILLs the process if it
/// did not exit; then kills whatever is left of its pods (<see cref="PodProcessReaper"/>; shims live in sessions of
/// their own so that pods outlive their agent) and deletes a data directory the fixture created — unless the test
/// crashed the process with <see cref="KillAsync"/>, which leaves pods and data for a restart over the same data dir
/// (<see cref="TestDataDirectories"/> reaps them at the end of the run if no restart does).
/// </summary>
internal sealed class BerthChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Action<string> _onLine;
    private bool _crashed;

    public BerthChildProcess(string dataDir, IEnumerable<string> args, TimeSpan stopTimeout, Action<string> onLine, Action onExited)
    {
        DataDir = dataDir;
        StopTimeout = stopTimeout;
        _onLine = onLine;
        var psi = new ProcessStartInfo(BerthProcess.LocateBinary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => onExited();
        TestDataDirectories.Register(dataDir);
    }

    public string DataDir { get; }

    /// <summary>How long disposal waits after SIGTERM: the node's shutdown grace period plus the host's margin.</summary>
    public TimeSpan StopTimeout { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_output) { return string.Join('\n', _output); } }
    }

    public void Start()
    {
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Sends <paramref name="signal"/> (15 = SIGTERM, 2 = SIGINT) to the berth process alone.</summary>
    public void Signal(int signal) => Interop.Kill(_process.Id, signal);

    /// <summary>Waits (bounded) for the process to exit; throws <see cref="TimeoutException"/> when it does not.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().DefaultTimeout(timeout);

    /// <summary>kill -9 of the berth process alone (a crash): its pods keep running for the next start to adopt.</summary>
    public async Task KillAsync()
    {
        _crashed = true;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        var graceful = true;
        if (!_process.HasExited)
        {
            Signal(15);
            try
            {
                await WaitForExitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                graceful = false;
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
            }
        }
        graceful = graceful && !_crashed && _process.ExitCode == 0;
        _process.Dispose();
        if (!_crashed)
        {
            await TestDataDirectories.ReleaseAsync(DataDir, afterGracefulStop: graceful).ConfigureAwait(false);
        }
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
        _onLine(line);
    }
}

using System.Diagnostics;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// A <c>berth agent</c> joining a <see cref="BerthProcess"/> as node <see cref="NodeName"/>, for the drain tests'
/// second node. Disposal sends SIGTERM and waits (bounded) for the graceful node shutdown.
/// </summary>
internal sealed class DrainAgentProcess : IAsyncDisposable
{
    public const string NodeName = "node-b";

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DrainAgentProcess(Process process) => _process = process;

    public string Output
    {
        get { lock (_output) { return string.Join('\n', _output); } }
    }

    public static async Task<DrainAgentProcess> StartAsync(BerthProcess server)
    {
        var dataDir = Directory.CreateTempSubdirectory("berth-drain-agent-").FullName;
        var psi = new ProcessStartInfo(BerthBinary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "agent", "--server", server.BaseUri.ToString(), "--token-file", Path.Combine(server.DataDir, "token"),
            "--node-name", NodeName, "--data-dir", dataDir, "--kubelet-port", "0", "--shutdown-grace-period", "10s" })
        {
            psi.ArgumentList.Add(a);
        }
        var agent = new DrainAgentProcess(new Process { StartInfo = psi, EnableRaisingEvents = true });
        agent._process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        agent._process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        agent._process.Exited += (_, _) => agent._started.TrySetException(new InvalidOperationException("berth agent exited early:\n" + agent.Output));
        agent._process.Start();
        agent._process.BeginOutputReadLine();
        agent._process.BeginErrorReadLine();
        await agent._started.Task.DefaultTimeout(TimeSpan.FromSeconds(30));
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Interop.Kill(_process.Id, 15);
            try
            {
                await _process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(25));
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
        if (line.Contains("berth: agent " + NodeName + " started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    /// <summary>The <c>berth</c> binary of the configuration the tests were built in (as BerthProcess finds the server).</summary>
    private static string BerthBinary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.sln")))
        {
            dir = dir.Parent;
        }
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"),
            "src", "Berth.Server", "bin", config, "net10.0", "berth");
    }
}

using System.Diagnostics;

namespace Berth.E2ETests;

/// <summary>
/// The real <c>berth agent</c> as a child process of a test, registering node <see cref="NodeName"/> with a running
/// <see cref="BerthProcess"/> (through its token file, and so its ca.crt), with a data dir and kubelet port of its own.
/// <see cref="StartAsync"/> returns once the agent printed its start line; disposal sends SIGTERM and waits (bounded)
/// for the graceful node shutdown, then kills the process tree.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentProcess(string nodeName, Process process)
    {
        NodeName = nodeName;
        _process = process;
    }

    public string NodeName { get; }

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_output) { return string.Join('\n', _output); } }
    }

    /// <param name="dataDir">The agent's data dir; a fresh temporary one when null.</param>
    /// <param name="shutdownGracePeriod">The agent's <c>--shutdown-grace-period</c>, e.g. <c>10s</c>.</param>
    /// <param name="extraArgs">More <c>berth agent</c> flags, e.g. <c>--proxy</c>.</param>
    public static async Task<AgentProcess> StartAsync(BerthProcess server, string nodeName, string? dataDir = null,
        string shutdownGracePeriod = "10s", params string[] extraArgs)
    {
        dataDir ??= Directory.CreateTempSubdirectory($"berth-agent-{nodeName}-").FullName;
        var psi = new ProcessStartInfo(BerthProcess.LocateBinary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "agent", "--server", server.BaseUri.ToString(), "--token-file", Path.Combine(server.DataDir, "token"),
            "--node-name", nodeName, "--data-dir", dataDir, "--kubelet-port", "0", "--shutdown-grace-period", shutdownGracePeriod }.Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }
        var agent = new AgentProcess(nodeName, new Process { StartInfo = psi, EnableRaisingEvents = true });
        agent._process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        agent._process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        agent._process.Exited += (_, _) => agent._started.TrySetException(new InvalidOperationException("berth agent exited early:\n" + agent.Output));
        agent._process.Start();
        agent._process.BeginOutputReadLine();
        agent._process.BeginErrorReadLine();
        await agent._started.Task.DefaultTimeout(TimeSpan.FromSeconds(30));
        return agent;
    }

    /// <summary>SIGTERM, then waits (bounded) for the graceful node shutdown to finish and the process to exit.</summary>
    public async Task StopAsync()
    {
        Interop.Kill(_process.Id, 15);
        await _process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(25));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync();
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
}

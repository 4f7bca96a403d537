namespace Berth.E2ETests;

/// <summary>
/// The real <c>berth agent</c> as a child process of a test, registering node <see cref="NodeName"/> with a running
/// <see cref="BerthProcess"/> (through its token file, and so its ca.crt), with a data dir and kubelet port of its own.
/// <see cref="StartAsync"/> returns once the agent printed its start line; disposal sends SIGTERM and waits (bounded)
/// for the graceful node shutdown, then kills the process tree and what is left of its pods (<see cref="BerthChildProcess"/>).
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly BerthChildProcess _child;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentProcess(string nodeName, string dataDir, IEnumerable<string> args, TimeSpan shutdownGracePeriod)
    {
        NodeName = nodeName;
        _child = new BerthChildProcess(dataDir, args, Berth.Testing.Processes.NodeStopTimeout.For(shutdownGracePeriod), OnLine,
            () => _started.TrySetException(new InvalidOperationException("berth agent exited early:\n" + Output)));
    }

    public string NodeName { get; }

    public string DataDir => _child.DataDir;

    public int ExitCode => _child.ExitCode;

    public string Output => _child.Output;

    /// <param name="server">The server the agent registers with.</param>
    /// <param name="nodeName">The agent's node name.</param>
    /// <param name="dataDir">The agent's data dir; a fresh temporary one (deleted at disposal) when null.</param>
    /// <param name="shutdownGracePeriod">The agent's <c>--shutdown-grace-period</c>, e.g. <c>10s</c>.</param>
    /// <param name="extraArgs">More <c>berth agent</c> flags, e.g. <c>--proxy</c>.</param>
    public static async Task<AgentProcess> StartAsync(BerthProcess server, string nodeName, string? dataDir = null,
        string shutdownGracePeriod = "10s", params string[] extraArgs)
    {
        dataDir ??= Berth.Testing.Processes.TestDataDirectories.CreateOwned($"berth-agent-{nodeName}-");
        var args = new[] { "agent", "--server", server.BaseUri.ToString(), "--token-file", Path.Combine(server.DataDir, "token"),
            "--node-name", nodeName, "--data-dir", dataDir, "--kubelet-port", "0", "--shutdown-grace-period", shutdownGracePeriod }.Concat(extraArgs);
        var agent = new AgentProcess(nodeName, dataDir, args, BerthProcess.ParseSeconds(shutdownGracePeriod));
        agent._child.Start();
        await agent._started.Task.DefaultTimeout(TimeSpan.FromSeconds(30));
        return agent;
    }

    /// <summary>SIGTERM, then waits (bounded by the shutdown grace period and a margin) for the graceful node shutdown and the exit.</summary>
    public async Task StopAsync()
    {
        _child.Signal(15);
        await _child.WaitForExitAsync(_child.StopTimeout);
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();

    private void OnLine(string line)
    {
        if (line.Contains("berth: agent " + NodeName + " started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}

using System.Diagnostics;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// A real <c>berth agent</c> registering node <see cref="NodeName"/> with a running test server (its token, and so its
/// ca.crt), with its own data dir and kubelet port; SIGTERM on disposal, bounded, then kill.
/// </summary>
internal sealed class DaemonSetAgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonSetAgentProcess(string nodeName, Process process)
    {
        NodeName = nodeName;
        _process = process;
    }

    public string NodeName { get; }

    public string Output
    {
        get { lock (_output) { return string.Join('\n', _output); } }
    }

    public static async Task<DaemonSetAgentProcess> StartAsync(BerthProcess server, string nodeName)
    {
        var dataDir = Directory.CreateTempSubdirectory($"berth-ds-{nodeName}-").FullName;
        var psi = new ProcessStartInfo(BerthBinary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "agent", "--server", server.BaseUri.ToString(), "--token-file", Path.Combine(server.DataDir, "token"),
            "--node-name", nodeName, "--data-dir", dataDir, "--kubelet-port", "0", "--shutdown-grace-period", "5s" })
        {
            psi.ArgumentList.Add(a);
        }
        var agent = new DaemonSetAgentProcess(nodeName, new Process { StartInfo = psi, EnableRaisingEvents = true });
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
                await _process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(20));
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

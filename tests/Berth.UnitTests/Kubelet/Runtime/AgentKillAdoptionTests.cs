using System.Diagnostics;
using System.Globalization;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// The agent is SIGKILLed (tests/testassets/RuntimeAgent is the stand-in agent process): its container keeps
/// running and writing output (the shim holds the log FIFOs, so no SIGPIPE), and a new runtime adopts it with no
/// log line lost.
/// </summary>
[Trait("Category", "Process")]
public sealed class AgentKillAdoptionTests : IDisposable
{
    private readonly RuntimeHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task AgentSigkilled_ContainerKeepsRunning_AdoptedWithoutLostOutput()
    {
        using var agent = Process.Start(AgentStartInfo(_h.StateDirectory, _h.LogDirectory, "/bin/sh", RuntimeHarness.Asset("counter.sh"), "0.01"))!;
        var line = await agent.StandardOutput.ReadLineAsync().DefaultTimeout();
        var parts = line!.Split(' ');
        var (id, pid) = (new ContainerId(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture));
        var logPath = Directory.EnumerateFiles(_h.LogDirectory, "0.log", SearchOption.AllDirectories).Single();
        await AsyncTestHelpers.WaitUntilAsync(() => CriLogLine.ReadAll(logPath).Count > 10, because: "the agent pumps logs");

        agent.Kill();
        await agent.WaitForExitAsync().DefaultTimeout();
        var logged = CriLogLine.ReadAll(logPath);
        var linesWhileDown = logged.Count;
        var stdoutAtKill = logged.Count(l => l.Stream == "stdout");
        await Task.Delay(500); // the container writes into the FIFO while no agent reads it
        var aliveWhileDown = ProcStat.Read(pid) is { State: not 'Z' };

        var runtime = _h.Restart();
        var adopted = await runtime.GetContainerStatusAsync(id);
        await AsyncTestHelpers.WaitUntilAsync(() => CriLogLine.ReadAll(logPath).Count > linesWhileDown + 100, because: "buffered and new output arrive");
        await runtime.StopContainerAsync(id, TimeSpan.FromSeconds(2), Signals.SIGTERM).DefaultTimeout();

        Assert.True(aliveWhileDown, "the container outlived its agent");
        Assert.Equal((ContainerState.Running, pid), (adopted.State, adopted.Pid));
        Assert.Equal(143, (await runtime.GetContainerStatusAsync(id)).ExitCode);
        var counted = CriLogLine.ReadAll(logPath).Where(l => l.Stream == "stdout").Select(l => int.Parse(l.Message[4..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(counted.Order(), counted);
        // Everything the container wrote while no agent read, and after, is there. The only loss allowed is what the
        // killed agent had already read from the FIFO but not yet written (one read per stream, at the kill).
        var missing = Enumerable.Range(0, counted[^1] + 1).Except(counted).ToList();
        Assert.True(missing.All(n => n >= stdoutAtKill && n < stdoutAtKill + 20),
            $"lost lines {string.Join(',', missing)}; {stdoutAtKill} stdout lines were logged when the agent was killed");
    }

    private static ProcessStartInfo AgentStartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(AgentAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    /// <summary>tests/testassets/RuntimeAgent/bin/{Configuration}/{tfm}/RuntimeAgent.dll, built by this project's reference.</summary>
    private static string AgentAssembly()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var testsDir = baseDir.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(testsDir, "testassets", "RuntimeAgent", "bin", baseDir.Parent.Name, baseDir.Name, "RuntimeAgent.dll");
        Assert.True(File.Exists(dll), $"agent not built at {dll}");
        return dll;
    }
}

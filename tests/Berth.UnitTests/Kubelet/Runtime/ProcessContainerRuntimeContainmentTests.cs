using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// No process of a container survives its stop or removal, including a daemon that double-forked into a session
/// of its own. Runs under both containment modes (the cgroup one only where the machine allows it).
/// </summary>
[Trait("Category", "Process")]
public sealed class ProcessContainerRuntimeContainmentTests
{
    public static TheoryData<ContainmentMode> Modes => [ContainmentMode.Auto, ContainmentMode.ProcessGroup];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task StopContainer_DoubleForkedDaemon_NoMarkedProcessRemains(ContainmentMode mode)
    {
        using var h = new RuntimeHarness(mode);
        var daemonPidFile = h.Scratch("daemon.pid");
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("double-fork.sh"), daemonPidFile));
        var daemon = await ReadDaemonPidAsync(daemonPidFile);
        var main = (await h.Runtime.GetContainerStatusAsync(id)).Pid!.Value;

        Assert.NotEqual(Libc.getpgid(main), Libc.getpgid(daemon));
        // The PID file is written right after the fork: the daemon may still be in execve, whose environ reads empty.
        await AsyncTestHelpers.WaitUntilAsync(() => ContainerMarker.FindProcesses(id).Contains(daemon), TimeSpan.FromSeconds(3),
            because: "the daemon carries the container marker");

        await h.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(1), Signals.SIGTERM).DefaultTimeout();

        await AssertNoneRemainAsync(id, daemon);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task MainProcessExits_DaemonLeftBehind_IsKilled(ContainmentMode mode)
    {
        using var h = new RuntimeHarness(mode);
        var daemonPidFile = h.Scratch("daemon.pid");
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("double-fork.sh"), daemonPidFile, "exit"));

        var status = await h.WaitExitedAsync(id);
        var daemon = await ReadDaemonPidAsync(daemonPidFile);

        Assert.Equal(0, status.ExitCode);
        await AssertNoneRemainAsync(id, daemon);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task RemoveContainer_Running_WholeTreeGone(ContainmentMode mode)
    {
        using var h = new RuntimeHarness(mode);
        var daemonPidFile = h.Scratch("daemon.pid");
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("double-fork.sh"), daemonPidFile));
        var daemon = await ReadDaemonPidAsync(daemonPidFile);

        await h.Runtime.RemoveContainerAsync(id, deleteLogs: true).DefaultTimeout();

        await AssertNoneRemainAsync(id, daemon);
        Assert.Empty(await h.Runtime.ListContainersAsync());
    }

    [Fact]
    public void Containment_Auto_ReportsWhichPathIsUsed()
    {
        using var h = new RuntimeHarness();

        Assert.Equal(h.Runtime.UsesCgroups, h.Runtime.Containment.StartsWith("cgroup2", StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(h.Runtime.Containment));
    }

    private static async Task<int> ReadDaemonPidAsync(string path)
    {
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(path) && File.ReadAllText(path).Trim().Length > 0, because: "daemon started");
        return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AssertNoneRemainAsync(ContainerId id, int daemon)
    {
        // A killed process is gone from the marker scan at once (a zombie has an empty environ); allow for reaping.
        await AsyncTestHelpers.WaitUntilAsync(() => ContainerMarker.FindProcesses(id).Count == 0, TimeSpan.FromSeconds(3),
            because: "no process carries the container marker");
        // Its environ empties while the kernel still tears the killed task down; under load that takes a moment.
        await AsyncTestHelpers.WaitUntilAsync(() => ProcStat.Read(daemon) is null or { State: 'Z' or 'X' }, TimeSpan.FromSeconds(3),
            because: "daemon is dead");
    }
}

using System.Globalization;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Berth.UnitTests.Kubelet.Mounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Runtime.Shim;

/// <summary>
/// The native shim's own contract, with no agent around it (<see cref="NativeShimDriver"/>): the exit file and
/// status (code, or 128 + signal), the PID report, the main process leading its own process group and session,
/// start-error plus 125 on a failed mount, cgroup.kill of what outlives the main process, and the FIFOs kept open
/// when the reader goes away.
/// </summary>
[Trait("Category", "Process")]
public sealed class NativeShimTests : IDisposable
{
    private readonly NativeShimDriver _shim = new();

    public void Dispose() => _shim.Dispose();

    [Fact]
    public async Task Exit_MainExitsWithCode_ExitFileAndShimStatusCarryIt()
    {
        _shim.Start("", "", "/bin/sh", "-c", "exit 3");

        var report = await _shim.ReadStartReportAsync();
        var code = await _shim.WaitExitCodeAsync();

        Assert.True(int.TryParse(report, NumberStyles.None, CultureInfo.InvariantCulture, out _), $"PID reported: '{report}'");
        Assert.Equal(3, code);
        Assert.Equal("3\n", File.ReadAllText(_shim.File("exit")));
        Assert.False(File.Exists(_shim.File("start-error")));
    }

    [Fact]
    public async Task Exit_MainKilledBySignal_Reports128PlusSignal()
    {
        _shim.Start("", "", "/bin/sh", "-c", "kill -KILL $$");

        var code = await _shim.WaitExitCodeAsync();

        Assert.Equal(137, code);
        Assert.Equal("137\n", File.ReadAllText(_shim.File("exit")));
    }

    [Fact]
    public async Task Start_MainProcess_LeadsItsOwnGroupAndSessionApartFromTheShim()
    {
        _shim.Start("", "", "/bin/sleep", "30");
        var main = int.Parse(await _shim.ReadStartReportAsync(), CultureInfo.InvariantCulture);

        var stat = File.ReadAllText($"/proc/{main}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var shimGroup = Libc.getpgid(_shim.ShimPid);
        await AsyncTestHelpers.WaitUntilAsync(() => File.ReadAllText($"/proc/{main}/cmdline").StartsWith("/bin/sleep", StringComparison.Ordinal),
            because: "the reported PID execs the command");
        Libc.kill(main, Signals.SIGTERM);

        Assert.Equal((main.ToString(CultureInfo.InvariantCulture), main.ToString(CultureInfo.InvariantCulture)), (fields[2], fields[3]));
        Assert.Equal(_shim.ShimPid, shimGroup);
        Assert.Equal(143, await _shim.WaitExitCodeAsync());
    }

    [Fact]
    public async Task Start_MissingExecutable_ReportsPidThenExits127()
    {
        _shim.Start("", "", "no-such-binary-berth");

        var report = await _shim.ReadStartReportAsync();

        Assert.NotEmpty(report);
        Assert.Equal(127, await _shim.WaitExitCodeAsync());
    }

    [MountNamespaceFact]
    public async Task Start_MountSourceMissing_StartErrorExit125NoPid()
    {
        var top = "/berth-test-" + Guid.NewGuid().ToString("N")[..12];
        _shim.Plan = $"rw\t{_shim.Directory}/missing\t{top}/x\n";
        _shim.Start("", "root", "/bin/true");

        var report = await _shim.ReadStartReportAsync();
        var code = await _shim.WaitExitCodeAsync();

        Assert.Equal("", report);
        Assert.Equal(125, code);
        Assert.StartsWith($"mount --rbind {_shim.Directory}/missing {top}/x: ", File.ReadAllText(_shim.File("start-error")), StringComparison.Ordinal);
        Assert.False(Path.Exists(top));
    }

    [Fact]
    public async Task Start_WorkingDirectoryMissing_StartErrorExit125NoPid()
    {
        _shim.WorkingDirectory = "/no-such-dir-berth";
        _shim.Start("", "", "/bin/true");

        var report = await _shim.ReadStartReportAsync();

        Assert.Equal("", report);
        Assert.Equal(125, await _shim.WaitExitCodeAsync());
        Assert.Equal("chdir /no-such-dir-berth: no such file or directory\n", File.ReadAllText(_shim.File("start-error")));
    }

    [Cgroup2Fact]
    public async Task Exit_DaemonOutlivesMainProcess_ShimKillsTheCgroup()
    {
        var cgroups = CgroupManager.TryCreate("berth.slice", NullLogger.Instance, out var reason);
        Assert.True(cgroups is not null, reason);
        var cgroup = cgroups.Create(ContainerId.New(), memoryLimitBytes: null);
        var daemonPidFile = _shim.File("daemon.pid");
        try
        {
            _shim.Start(cgroup, "", "/bin/sh", RuntimeHarness.Asset("double-fork.sh"), daemonPidFile, "exit");

            Assert.Equal(0, await _shim.WaitExitCodeAsync());
            var daemon = int.Parse(File.ReadAllText(daemonPidFile).Trim(), CultureInfo.InvariantCulture);

            await AsyncTestHelpers.WaitUntilAsync(() => ProcStat.Read(daemon) is null or { State: 'Z' or 'X' }, TimeSpan.FromSeconds(3),
                because: "the shim killed the daemon left in the cgroup");
            await AsyncTestHelpers.WaitUntilAsync(() => CgroupOps.Members(cgroup).Count == 0, TimeSpan.FromSeconds(3), because: "the cgroup is empty");
        }
        finally
        {
            CgroupOps.KillAll(cgroup);
            await AsyncTestHelpers.WaitUntilAsync(() => EmptyDirectory.TryRemove(cgroup) || !Directory.Exists(cgroup), TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public async Task Output_ReaderGoesAway_AppKeepsWritingWithoutEpipe()
    {
        var (wrote, go) = (_shim.File("wrote"), _shim.File("go"));
        _shim.Start("", "", "/bin/sh", "-c",
            $"echo one; while [ ! -e {go} ]; do sleep 0.01; done; echo two && touch {wrote}; while [ ! -e {go}2 ]; do sleep 0.01; done");
        await _shim.ReadStartReportAsync();

        using (var first = await OpenReaderAsync())
        {
            Assert.Equal("one", await Task.Run(first.ReadLineAsync).DefaultTimeout());
        }
        File.WriteAllText(go, "");
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(wrote), because: "the app wrote with no reader");
        using (var second = await OpenReaderAsync())
        {
            Assert.Equal("two", await Task.Run(second.ReadLineAsync).DefaultTimeout());
        }
        File.WriteAllText(go + "2", "");

        Assert.Equal(0, await _shim.WaitExitCodeAsync());
    }

    // The shim holds the FIFO read-write, so opening it for reading never blocks for long.
    private async Task<StreamReader> OpenReaderAsync() =>
        await Task.Run(() => new StreamReader(new FileStream(_shim.File("stdout.fifo"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1)))
            .DefaultTimeout();
}

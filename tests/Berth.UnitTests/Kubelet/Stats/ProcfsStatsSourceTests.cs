using Berth.Kubelet.Runtime;
using Berth.Kubelet.Stats;

namespace Berth.UnitTests.Kubelet.Stats;

/// <summary>The readers over a fixture tree shaped like /proc and a cgroup2 mount, and once over the real /proc.</summary>
public sealed class ProcfsStatsSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-stats-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ReadContainer_OwnCgroupWithMemoryController_UsageAndWorkingSet()
    {
        Proc(100, cgroup: "0::/berth.slice/c1\n", rssKib: 999);
        Cgroup("berth.slice/c1", ("cpu.stat", "usage_usec 2500\nuser_usec 2000\n"), ("memory.current", "10485760\n"),
            ("memory.stat", "anon 1\ninactive_file 2097152\nactive_file 3\n"), ("cgroup.procs", "100\n"));

        var reading = Source().ReadContainer(Running(100));

        Assert.Equal(new ContainerReading(2_500_000, 8 << 20), reading);
    }

    [Fact]
    public void ReadContainer_OwnCgroupWithoutMemoryController_SumsResidentSetOfItsProcesses()
    {
        Proc(100, cgroup: "0::/berth.slice/c1\n", rssKib: 1000);
        Proc(101, cgroup: "0::/berth.slice/c1\n", rssKib: 24);
        Cgroup("berth.slice/c1", ("cpu.stat", "usage_usec 7\n"), ("cgroup.procs", "100\n101\n"));

        var reading = Source().ReadContainer(Running(100));

        Assert.Equal(new ContainerReading(7_000, 1024 * 1024), reading);
    }

    [Fact]
    public void ReadContainer_NoCgroupOfItsOwn_MainProcessTimesAndResidentSet()
    {
        Proc(100, cgroup: "0::/\n", rssKib: 50, stat: "100 (sh) S 1 100 100 0 -1 0 0 0 0 0 30 10 5 5 20 0 1 0 9 9 9");

        var reading = Source().ReadContainer(Running(100));

        Assert.Equal(new ContainerReading(50 * 10_000_000L, 50 * 1024), reading);
    }

    [Fact]
    public void ReadContainer_GoneOrNotRunning_Null()
    {
        Assert.Null(Source().ReadContainer(Running(4242)));
        Proc(100, cgroup: "0::/\n", rssKib: 1);
        Assert.Null(Source().ReadContainer(Running(100) with { State = ContainerState.Exited }));
    }

    [Fact]
    public void ReadNode_BusyTicksAndMemoryInUse()
    {
        Directory.CreateDirectory(Path.Combine(_root, "proc"));
        File.WriteAllText(Path.Combine(_root, "proc", "stat"), "cpu  100 0 100 5000 0 0 0 0 0 0\n");
        File.WriteAllText(Path.Combine(_root, "proc", "meminfo"), "MemTotal: 2048 kB\nMemAvailable: 1024 kB\n");

        Assert.Equal(new NodeReading(200 * 10_000_000L, 1024 * 1024), Source().ReadNode());
    }

    [Fact]
    public void RealProc_ThisProcess_HasCpuAndMemory()
    {
        var source = new ProcfsStatsSource();
        var self = Running(Environment.ProcessId);

        var reading = source.ReadContainer(self);

        Assert.NotNull(reading);
        Assert.True(reading.Value.CpuNanos > 0);
        Assert.True(reading.Value.MemoryBytes > 1 << 20);
        Assert.True(source.ReadNode()!.Value.MemoryBytes > 0);
    }

    private ProcfsStatsSource Source() => new(Path.Combine(_root, "proc"), Path.Combine(_root, "cgroup"));

    private static ContainerStatus Running(int pid) => new()
    {
        Id = new ContainerId("c1"), PodUid = "u1", ContainerName = "web", State = ContainerState.Running,
        CreatedAt = DateTimeOffset.UnixEpoch, Pid = pid, LogPath = "/dev/null",
    };

    private void Proc(int pid, string cgroup, long rssKib, string? stat = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(dir, "cgroup"), cgroup);
        File.WriteAllText(Path.Combine(dir, "status"), $"Name:\tx\nVmRSS:\t{rssKib} kB\n");
        File.WriteAllText(Path.Combine(dir, "stat"), stat ?? $"{pid} (x) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 9 9 9");
    }

    private void Cgroup(string path, params (string Name, string Text)[] files)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "cgroup", path)).FullName;
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), text);
        }
    }
}

using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;

namespace Berth.UnitTests.Kubelet.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InteropTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("SIGKILL", 9)]
    [InlineData("SIGINT", 2)]
    [InlineData("SIGQUIT", 3)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("SIGUSR2", 12)]
    [InlineData("SIGHUP", 1)]
    [InlineData("SIGRTMIN+1", 35)]
    [InlineData("SIGRTMAX", 64)]
    public void Signals_TryParse_KnownName_Number(string name, int expected)
    {
        Assert.True(Signals.TryParse(name, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("sigterm")]
    [InlineData("SIGRTMIN+16")]
    [InlineData("")]
    [InlineData(null)]
    public void Signals_TryParse_UnknownName_False(string? name)
    {
        Assert.False(Signals.TryParse(name, out _));
    }

    [Fact]
    public void Signals_NameOf_RoundTrips()
    {
        Assert.Equal("SIGTERM", Signals.NameOf(15));
        Assert.Equal("SIGUSR1", Signals.NameOf(10));
        Assert.Equal("SIGRTMIN+3", Signals.NameOf(37));
    }

    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0x000f, 143)]
    [InlineData(0x0009, 137)]
    [InlineData(0x0089, 137)] // SIGKILL with the core-dump bit
    public void WaitStatus_ExitCode_RuntimeConvention(int status, int expected)
    {
        Assert.Equal(expected, WaitStatus.ExitCode(status));
    }

    [Fact]
    public void ProcStat_Parse_CommWithSpacesAndParens_Field22()
    {
        var line = "4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";

        Assert.Equal(('S', 987654UL), ProcStat.Parse(line));
    }

    [Fact]
    public void ProcStat_Self_LiveWithStableStartTime()
    {
        var start = ProcStat.StartTime(Environment.ProcessId);

        Assert.NotNull(start);
        Assert.True(ProcStat.IsSameLiveProcess(Environment.ProcessId, start!.Value));
        Assert.False(ProcStat.IsSameLiveProcess(Environment.ProcessId, start.Value + 1));
    }

    [Fact]
    public void CgroupOps_ParseOomKills_ReadsCounter()
    {
        Assert.Equal(2, CgroupOps.ParseOomKills("low 0\nhigh 0\nmax 4\noom 3\noom_kill 2\noom_group_kill 0\n"));
        Assert.Equal(0, CgroupOps.ParseOomKills("low 0\n"));
    }

    [Fact]
    public void CgroupOps_KillAll_ACgroupRemovedAfterTheCheck_IsNothingToKill()
    {
        // A cgroup.kill that exists at the check but whose directory is gone at the write: a dangling link stands in
        // for the cgroup an exiting container's shim removed in between.
        var cgroup = Directory.CreateTempSubdirectory("berth-cgroup-").FullName;
        File.CreateSymbolicLink(Path.Combine(cgroup, "cgroup.kill"), Path.Combine(cgroup, "removed", "cgroup.kill"));
        try
        {
            CgroupOps.KillAll(cgroup);
            Assert.False(Directory.Exists(Path.Combine(cgroup, "removed")));
        }
        finally
        {
            Directory.Delete(cgroup, recursive: true);
        }
    }

    [Fact]
    public void ExecutableResolver_Resolve_PathLookupAndErrors()
    {
        Assert.Equal("/bin/sh", ExecutableResolver.Resolve("sh", "/nonexistent:/bin", "/", out _));
        Assert.Null(ExecutableResolver.Resolve("no-such-tool", "/bin", "/", out var notFound));
        Assert.Equal("exec: \"no-such-tool\": executable file not found in $PATH", notFound);
        var plain = Path.GetTempFileName();
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(ExecutableResolver.Resolve(plain, null, "/", out var denied));
        Assert.Contains("permission denied", denied);
        File.Delete(plain);
    }

    [Fact]
    public void PosixSpawn_NewSession_ChildLeadsSessionWithDefaultSigpipe()
    {
        var output = Path.GetTempFileName();
        var pid = PosixSpawn.Spawn(new SpawnRequest("/bin/sh",
            ["/bin/sh", "-c", "ps -o sid= -o pgid= -p $$; grep SigIgn /proc/$$/status"], ["PATH=/usr/bin:/bin"])
        {
            NewSession = true,
            Opens = new Dictionary<int, (string, int)> { [1] = (output, Libc.O_WRONLY) },
        });
        var status = Libc.Reap(pid, block: true);
        var text = File.ReadAllText(output);
        File.Delete(output);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([pid.ToString(), pid.ToString()], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // .NET ignores SIGPIPE; the child must not inherit that. No standard signal (1-31) may be ignored; glibc's
        // posix_spawn itself leaves its two internal signals (32, 33) ignored, which every glibc program resets.
        var ignored = Convert.ToUInt64(lines[1]["SigIgn:\t".Length..], 16);
        Assert.Equal(0UL, ignored & 0x7fffffffUL);
        Assert.Equal(0, WaitStatus.ExitCode(status!.Value));
    }
}

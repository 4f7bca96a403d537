using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Microsoft.Win32.SafeHandles;

namespace Berth.UnitTests.Kubelet.Runtime.Shim;

/// <summary>
/// Starts <c>berth-shim</c> exactly as the runtime does (posix_spawn in a new session, stdio on /dev/null, the start
/// pipe on fd 3) over a scratch container directory with both FIFOs, with no agent around it. One shim per driver;
/// Dispose SIGKILLs a shim still running and removes the directory.
/// </summary>
internal sealed class NativeShimDriver : IDisposable
{
    private int _shim;
    private FileStream? _startPipe;

    public NativeShimDriver()
    {
        Directory = Path.Combine(Path.GetTempPath(), "berth-shim-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "rootfs"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "shadow"));
        foreach (var fifo in new[] { "stdout.fifo", "stderr.fifo" })
        {
            Assert.Equal(0, Libc.mkfifo(Path.Combine(Directory, fifo), Convert.ToInt32("600", 8)));
        }
    }

    /// <summary>The container directory handed to the shim.</summary>
    public string Directory { get; }

    public int ShimPid => _shim;

    /// <summary>The working directory argument of the next <see cref="Start"/>.</summary>
    public string WorkingDirectory { get; set; } = "/";

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>The mount plan argument of the next <see cref="Start"/> (lines <c>ro|rw TAB source TAB target</c>).</summary>
    public string Plan { get; set; } = "";

    /// <summary>The STDIO argument of the next <see cref="Start"/> (<c>i</c>, <c>t</c>; the FIFOs it needs are made then).</summary>
    public string Stdio { get; set; } = "";

    /// <summary>Spawns the shim: <c>berth-shim DIR CGROUP WORKDIR PHASE PLAN DIR/shadow STDIO argv…</c>.</summary>
    public void Start(string cgroup, string phase, params string[] argv)
    {
        var binary = NativeShim.Locate();
        Assert.True(binary is not null, $"{NativeShim.FileName} was not built next to the tests");
        foreach (var fifo in Stdio.Length == 0 ? [] : Stdio.Contains('i') ? ["control.fifo", "stdin.fifo"] : new[] { "control.fifo" })
        {
            Assert.Equal(0, Libc.mkfifo(Path.Combine(Directory, fifo), Convert.ToInt32("600", 8)));
        }
        var (readEnd, writeEnd) = Pipes.Create();
        try
        {
            _shim = PosixSpawn.Spawn(new SpawnRequest(binary, NativeShim.BuildArgv(binary, Directory, cgroup, WorkingDirectory, phase, Plan, Path.Combine(Directory, "shadow"), Stdio, argv),
                ["PATH=/usr/bin:/bin"])
            {
                NewSession = true,
                Descriptors = new Dictionary<int, int> { [3] = writeEnd },
                Opens = new Dictionary<int, (string, int)>
                {
                    [0] = ("/dev/null", Libc.O_RDONLY), [1] = ("/dev/null", Libc.O_WRONLY), [2] = ("/dev/null", Libc.O_WRONLY),
                },
            });
        }
        finally
        {
            Libc.close(writeEnd);
        }
        Libc.fcntl(readEnd, 4 /* F_SETFL */, 0); // blocking: read to EOF below
        _startPipe = new FileStream(new SafeFileHandle(readEnd, ownsHandle: true), FileAccess.Read, bufferSize: 1);
    }

    /// <summary>What the shim reported on the start pipe until it closed it (the main PID, or empty on a failed start).</summary>
    public async Task<string> ReadStartReportAsync()
    {
        using var reader = new StreamReader(_startPipe!);
        return (await Task.Run(reader.ReadToEndAsync).DefaultTimeout()).Trim();
    }

    /// <summary>Reaps the shim and returns its exit code (the shim exits with the main process's status).</summary>
    public async Task<int> WaitExitCodeAsync()
    {
        int? status = null;
        await AsyncTestHelpers.WaitUntilAsync(() => (status = Libc.Reap(_shim, block: false)) is not null, because: "the shim exits");
        Assert.Equal(0, WaitStatus.TermSignal(status!.Value));
        _shim = 0;
        return WaitStatus.ExitCode(status.Value);
    }

    public void Dispose()
    {
        if (_shim > 0)
        {
            Libc.kill(_shim, Signals.SIGKILL);
            Libc.Reap(_shim, block: true);
        }
        _startPipe?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect other tests.
        }
    }
}

using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Streaming.Exec;

/// <summary>
/// A spawned exec command and the agent's ends of its stdio: a pseudo-terminal master (tty) or pipes. The command
/// leads its own session and process group. Owns every descriptor and the pidfd; <see cref="Dispose"/> closes them
/// (call it only after the I/O pumps stopped). The caller must <see cref="Reap"/> the command.
/// </summary>
internal sealed class ExecProcessHandle : IDisposable
{
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;

    private int _stdinFd = -1;

    private ExecProcessHandle(int pid, int pidfd)
    {
        Pid = pid;
        PidFd = pidfd;
    }

    public int Pid { get; }

    /// <summary>Polls readable once the command has exited.</summary>
    public int PidFd { get; }

    /// <summary>Our non-blocking write end of the command's stdin (the master with a tty); -1 when none or closed.</summary>
    public int StdinFd => Volatile.Read(ref _stdinFd);

    /// <summary>Our non-blocking read ends, paired with where their bytes go (stdout first).</summary>
    public List<(int Fd, Stream Target)> Outputs { get; } = [];

    /// <summary>The pseudo-terminal master, or -1 without a tty.</summary>
    public int Master { get; private set; } = -1;

    /// <summary>Spawns <paramref name="launch"/> with stdio wired per <paramref name="io"/>.</summary>
    public static ExecProcessHandle Start(ExecLaunch launch, ExecIo io) =>
        io.Tty ? StartWithTty(launch, io) : StartWithPipes(launch, io);

    /// <summary>SIGKILLs the command's process group and the command itself (it may have left the group).</summary>
    public void Kill()
    {
        Libc.kill(-Pid, Signals.SIGKILL);
        Libc.kill(Pid, Signals.SIGKILL);
    }

    /// <summary>Waits for the (exited or killed) command and returns its exit code, 128 + n for signal n.</summary>
    public int Reap() => Libc.Reap(Pid, block: true) is { } status ? WaitStatus.ExitCode(status) : -1;

    /// <summary>Closes the stdin pipe (no tty): the command reads end of file. Idempotent.</summary>
    public void CloseStdin()
    {
        var fd = Interlocked.Exchange(ref _stdinFd, -1);
        if (fd >= 0 && fd != Master)
        {
            Libc.close(fd);
        }
    }

    public void Dispose()
    {
        CloseStdin();
        foreach (var (fd, _) in Outputs)
        {
            if (fd != Master)
            {
                Libc.close(fd);
            }
        }
        if (Master >= 0)
        {
            Libc.close(Master);
        }
        Libc.close(PidFd);
    }

    private static ExecProcessHandle StartWithTty(ExecLaunch launch, ExecIo io)
    {
        var (master, slave) = Pty.Open();
        int pid;
        try
        {
            SetNonBlocking(master);
            // Opened by the child after setsid and without O_NOCTTY: the terminal becomes its controlling tty.
            pid = PosixSpawn.Spawn(Request(launch) with
            {
                Opens = new Dictionary<int, (string, int)>
                {
                    [0] = (slave, Libc.O_RDWR), [1] = (slave, Libc.O_RDWR), [2] = (slave, Libc.O_RDWR),
                },
            });
        }
        catch
        {
            Libc.close(master);
            throw;
        }
        var handle = new ExecProcessHandle(pid, OpenPidFd(pid)) { Master = master };
        handle._stdinFd = io.Stdin is null ? -1 : master;
        if (io.Stdout is { } stdout)
        {
            handle.Outputs.Add((master, stdout));
        }
        return handle;
    }

    private static ExecProcessHandle StartWithPipes(ExecLaunch launch, ExecIo io)
    {
        var ours = new List<int>();
        var theirs = new Dictionary<int, int>();
        var opens = new Dictionary<int, (string, int)>();
        try
        {
            var stdinWrite = -1;
            if (io.Stdin is not null)
            {
                var (read, write) = Pipes.Create();
                // Pipes.Create makes the read end non-blocking; the command reads it, we write: swap the modes.
                SetBlocking(read);
                SetNonBlocking(write);
                (theirs[0], stdinWrite) = (read, write);
                ours.Add(write);
            }
            else
            {
                opens[0] = ("/dev/null", Libc.O_RDONLY);
            }
            var outputs = new List<(int, Stream)>();
            AddOutput(1, io.Stdout, theirs, opens, ours, outputs);
            AddOutput(2, io.Stderr, theirs, opens, ours, outputs);
            var pid = PosixSpawn.Spawn(Request(launch) with { Descriptors = theirs, Opens = opens });
            var handle = new ExecProcessHandle(pid, OpenPidFd(pid)) { _stdinFd = stdinWrite };
            handle.Outputs.AddRange(outputs);
            ours.Clear();
            return handle;
        }
        finally
        {
            // The command holds its ends now (or the spawn failed): ours of theirs are closed either way.
            foreach (var fd in theirs.Values.Concat(ours))
            {
                Libc.close(fd);
            }
        }
    }

    private static void AddOutput(int childFd, Stream? target, Dictionary<int, int> theirs,
        Dictionary<int, (string, int)> opens, List<int> ours, List<(int, Stream)> outputs)
    {
        if (target is null)
        {
            opens[childFd] = ("/dev/null", Libc.O_WRONLY);
            return;
        }
        var (read, write) = Pipes.Create();
        theirs[childFd] = write;
        ours.Add(read);
        outputs.Add((read, target));
    }

    private static Interop.SpawnRequest Request(ExecLaunch launch) =>
        new(launch.Path, launch.Argv, launch.Environment) { WorkingDirectory = launch.WorkingDirectory, NewSession = true };

    private static int OpenPidFd(int pid)
    {
        var pidfd = Libc.PidfdOpen(pid);
        if (pidfd < 0)
        {
            var errno = Libc.LastError;
            Libc.kill(pid, Signals.SIGKILL);
            Libc.Reap(pid, block: true);
            throw new IOException($"pidfd_open({pid}) failed: errno {errno}");
        }
        return pidfd;
    }

    private static void SetNonBlocking(int fd) => Libc.fcntl(fd, F_SETFL, Libc.fcntl(fd, F_GETFL, 0) | Libc.O_NONBLOCK);

    private static void SetBlocking(int fd) => Libc.fcntl(fd, F_SETFL, Libc.fcntl(fd, F_GETFL, 0) & ~Libc.O_NONBLOCK);
}

using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Logs;

/// <summary>
/// Drains a container's stdout and stderr FIFOs into its CRI log file. The FIFOs are named pipes in the container's
/// state directory; the container's shim holds them open for reading and writing for the container's whole life, so
/// the pipes outlive the agent: when the agent dies, output buffers in the kernel (the pipe is grown to 1 MiB) and the
/// writer blocks only once that fills; a new agent reopens the FIFOs by path and carries on. End of both streams
/// (every writer gone: shim, main process and all descendants) completes <see cref="Completion"/>.
/// On a start, the pump opens the FIFOs before the shim is spawned (a FIFO reports hang-up only after a writer came
/// and went), so output of a container that exits at once is never lost with the pipe.
/// </summary>
/// <remarks>
/// Callbacks run on the <see cref="FdPoller"/> thread. <see cref="Detach"/> may run on any thread; it stops writing
/// and leaves unread output in the pipes for the next agent. Thread-safe.
/// </remarks>
internal sealed unsafe class ContainerLogPump
{
    /// <summary>Pipe capacity requested with F_SETPIPE_SZ (the unprivileged maximum by default).</summary>
    public const int PipeCapacity = 1024 * 1024;

    private const int ReadChunk = 64 * 1024;
    private const int MaxBytesPerWakeup = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly RotatingLogFile _file;
    private readonly byte[] _buffer = new byte[ReadChunk];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<FdPoller.Registration> _registrations = [];
    private int _openStreams;
    private bool _detached;

    private ContainerLogPump(RotatingLogFile file) => _file = file;

    /// <summary>The live output for attach sessions; completed together with <see cref="Completion"/>.</summary>
    public ContainerOutputFanOut Output { get; } = new();

    /// <summary>Completes when both streams reached end of file (or the pump was detached).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Opens both FIFOs (non-blocking) and the log file, and starts pumping on <paramref name="poller"/>.</summary>
    public static ContainerLogPump Start(ContainerPaths paths, string logPath, ProcessRuntimeOptions options,
        FdPoller poller, TimeProvider time)
    {
        var file = new RotatingLogFile(logPath, options.ContainerLogMaxSize, options.ContainerLogMaxFiles);
        var pump = new ContainerLogPump(file);
        try
        {
            pump.Attach(poller, paths.StdoutFifo, new CriLogStream("stdout", file, time), ContainerOutputStream.Stdout);
            pump.Attach(poller, paths.StderrFifo, new CriLogStream("stderr", file, time), ContainerOutputStream.Stderr);
        }
        catch
        {
            pump.Detach(poller);
            throw;
        }
        return pump;
    }

    /// <summary>Stops pumping without consuming more output; used when the agent shuts down.</summary>
    public void Detach(FdPoller poller)
    {
        lock (_gate)
        {
            if (_detached)
            {
                return;
            }
            _detached = true;
            foreach (var r in _registrations)
            {
                poller.Unregister(r);
            }
            _file.Dispose();
        }
        Output.Complete();
        _completion.TrySetResult();
    }

    private void Attach(FdPoller poller, string fifo, CriLogStream stream, ContainerOutputStream kind)
    {
        var fd = Libc.open(fifo, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"open {fifo}: errno {Libc.LastError}");
        }
        Libc.fcntl(fd, Libc.F_SETPIPE_SZ, PipeCapacity);
        lock (_gate)
        {
            _openStreams++;
            _registrations.Add(poller.Register(fd, _ => Drain(fd, stream, kind)));
        }
    }

    // Returns false at end of stream, which ends the registration and closes the fd.
    private bool Drain(int fd, CriLogStream stream, ContainerOutputStream kind)
    {
        lock (_gate)
        {
            if (_detached)
            {
                return false;
            }
            for (var total = 0; total < MaxBytesPerWakeup;)
            {
                nint n;
                fixed (byte* p = _buffer)
                {
                    n = Libc.read(fd, p, _buffer.Length);
                }
                if (n > 0)
                {
                    stream.Append(_buffer.AsSpan(0, (int)n));
                    Output.Publish(kind, _buffer.AsSpan(0, (int)n));
                    total += (int)n;
                    continue;
                }
                if (n < 0 && Libc.LastError is Libc.EAGAIN or Libc.EINTR)
                {
                    return true;
                }
                return EndOfStream(stream);
            }
            return true;
        }
    }

    private bool EndOfStream(CriLogStream stream)
    {
        stream.Complete();
        if (--_openStreams == 0)
        {
            _detached = true;
            _file.Dispose();
            Output.Complete();
            _completion.TrySetResult();
        }
        return false;
    }
}

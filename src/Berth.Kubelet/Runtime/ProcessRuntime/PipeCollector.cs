using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Reads a non-blocking pipe on the <see cref="FdPoller"/> until EOF, keeping at most a cap of bytes (the rest is
/// read and dropped so the writer never blocks). <see cref="Completion"/> completes at EOF.
/// </summary>
internal sealed unsafe class PipeCollector
{
    private readonly MemoryStream _kept = new();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly int _cap;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PipeCollector(int cap) => _cap = cap;

    public Task Completion => _completion.Task;

    public FdPoller.Registration? Registration { get; private set; }

    /// <summary>Starts collecting from <paramref name="fd"/>; the poller takes ownership of it.</summary>
    public static PipeCollector Start(FdPoller poller, int fd, int cap)
    {
        var collector = new PipeCollector(cap);
        collector.Registration = poller.Register(fd, _ => collector.Drain(fd));
        return collector;
    }

    /// <summary>What was read so far, decoded as UTF-8.</summary>
    public string Text()
    {
        lock (_gate)
        {
            return System.Text.Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
        }
    }

    private bool Drain(int fd)
    {
        lock (_gate)
        {
            while (true)
            {
                nint n;
                fixed (byte* p = _buffer)
                {
                    n = Libc.read(fd, p, _buffer.Length);
                }
                if (n > 0)
                {
                    var keep = (int)Math.Min(n, Math.Max(0, _cap - _kept.Length));
                    _kept.Write(_buffer, 0, keep);
                    continue;
                }
                if (n < 0 && Libc.LastError is Libc.EAGAIN or Libc.EINTR)
                {
                    return true;
                }
                _completion.TrySetResult();
                return false;
            }
        }
    }
}

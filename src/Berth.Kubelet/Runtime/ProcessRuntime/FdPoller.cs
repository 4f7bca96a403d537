using Berth.Kubelet.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// One background thread that multiplexes every descriptor the runtime waits on (log FIFOs, start pipes, exec
/// pipes, pidfds) with poll(2). This keeps the cost of N running containers at one thread, where blocking reads
/// would need a thread-pool thread per stream (a 100-pod burst would starve the pool).
/// </summary>
/// <remarks>
/// Ownership: <see cref="Register"/> hands the descriptor to the poller; it is closed by the poller thread after
/// the registration ends (callback returns false, <see cref="Unregister"/>, or <see cref="Dispose"/>). Callbacks run
/// on the poller thread, one at a time: they must not block and must read non-blocking descriptors until EAGAIN.
/// Register and Unregister are thread-safe.
/// </remarks>
internal sealed unsafe partial class FdPoller : IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Registration> _live = [];
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private bool _dirty = true;

    public FdPoller(ILogger logger)
    {
        _logger = logger;
        _wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            throw new IOException($"eventfd failed: errno {Libc.LastError}");
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "berth-runtime-poller" };
        _thread.Start();
    }

    /// <summary>A live registration; pass it to <see cref="Unregister"/>.</summary>
    public sealed class Registration(int fd, Func<short, bool> onReady)
    {
        internal int Fd { get; } = fd;

        internal Func<short, bool> OnReady { get; } = onReady;

        internal bool Removed { get; set; }
    }

    /// <summary>
    /// Watches <paramref name="fd"/> for POLLIN/POLLHUP. <paramref name="onReady"/> gets the returned events and
    /// returns false to end the registration (the poller then closes the fd).
    /// </summary>
    public Registration Register(int fd, Func<short, bool> onReady)
    {
        var registration = new Registration(fd, onReady);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _live.Add(registration);
            _dirty = true;
        }
        Wake();
        return registration;
    }

    /// <summary>Ends a registration without another callback; the fd is closed by the poller thread.</summary>
    public void Unregister(Registration registration)
    {
        lock (_gate)
        {
            registration.Removed = true;
            _dirty = true;
        }
        Wake();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }
            _stopping = true;
        }
        Wake();
        _thread.Join(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            foreach (var r in _live)
            {
                Libc.close(r.Fd);
            }
            _live.Clear();
        }
        Libc.close(_wakeFd);
    }

    private void Wake()
    {
        ulong one = 1;
        Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
    }
}

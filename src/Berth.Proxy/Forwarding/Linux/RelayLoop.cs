using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// One epoll event loop on a dedicated thread that copies the bytes of every proxied connection and completes dials:
/// a readable socket is read and the bytes written to its peer in the same wake-up, with no thread-pool dispatch
/// and no per-read allocation (the runtime's socket engine would wake its own epoll thread and then a pool thread
/// for each of the two extra hops a proxied round trip has). Sockets handed to the loop are non-blocking and never
/// used with the runtime's async methods, so only this loop is woken for them.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="Attach"/>, <see cref="AbortAll"/> and <see cref="Dispose"/> may be called from any
/// thread; they queue a command and wake the loop through an eventfd. Everything else runs on the loop thread.
/// A socket attached to the loop is closed by the loop only, so a descriptor is never reused while registered.
/// </remarks>
internal sealed unsafe partial class RelayLoop : IDisposable
{
    private const int Capacity = 256;
    [ThreadStatic]
    private static RelayLoop? t_current;
    private const ulong WakeData = ulong.MaxValue;
    private readonly int _epoll;
    private readonly SafeFileHandle _wake;
    private readonly ConcurrentQueue<(IRelayMember? Member, bool Abort)> _commands = new();
    private readonly List<IRelayMember?> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly List<int> _released = [];
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly int _nice;
    private readonly BusyPoll _busyPoll;
    private volatile bool _stopping;
    private int _disposed;

    /// <param name="settings">Buffer size, nice value and busy-poll window of the loop (<see cref="ProxyOptions"/>).</param>
    public RelayLoop(RelayLoopSettings settings, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _nice = settings.Nice;
        _busyPoll = new BusyPoll(settings.BusyPoll, time);
        Buffer = GC.AllocateUninitializedArray<byte>(settings.BufferSize);
        _epoll = Epoll.Create();
        _wake = Epoll.CreateEventFd();
        if (_epoll < 0 || _wake.IsInvalid || Epoll.Control(_epoll, Epoll.CtlAdd, (int)_wake.DangerousGetHandle(), Epoll.In, WakeData) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            CloseDescriptors();
            throw new IOException($"epoll setup failed (errno {errno})");
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "berth-proxy-relay" };
        _thread.Start();
    }

    /// <summary>The read buffer every relay of this loop shares (one read is forwarded before the next). Loop thread only.</summary>
    public byte[] Buffer { get; }

    /// <summary>The loop whose thread is calling, or null on any other thread.</summary>
    public static RelayLoop? Current => t_current;

    /// <summary>True on the loop thread.</summary>
    public bool IsLoopThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>Hands <paramref name="member"/> to the loop; it is started on the loop thread, or aborted when the loop stopped.</summary>
    public void Attach(IRelayMember member) => Enqueue(member, abort: false);

    /// <summary>Aborts <paramref name="member"/> on the loop thread (a dial that timed out); no-op when it already ended.</summary>
    public void Abort(IRelayMember member) => Enqueue(member, abort: true);

    private void Enqueue(IRelayMember member, bool abort)
    {
        _commands.Enqueue((member, abort));
        if (_stopping)
        {
            DrainAfterStop();
        }
        else if (!IsLoopThread)
        {
            Wake();
        }
    }

    /// <summary>Aborts every member attached now (proxy shutdown); the loop keeps running for later ones.</summary>
    public void AbortAll()
    {
        _commands.Enqueue((null, true));
        Wake();
    }

    /// <summary>
    /// Sets the events watched on <paramref name="watch"/>'s socket: registers it, changes it, or removes it when
    /// <paramref name="mask"/> is 0. Loop thread only. Returns false when epoll refused (the socket is gone).
    /// </summary>
    public bool Watch(ref SocketWatch watch, uint mask)
    {
        if (mask == watch.Mask)
        {
            return true;
        }
        var op = watch.Mask == 0 ? Epoll.CtlAdd : mask == 0 ? Epoll.CtlDel : Epoll.CtlMod;
        var ok = Epoll.Control(_epoll, op, watch.Fd, mask, watch.Data) == 0;
        watch.Mask = ok ? mask : 0;
        return ok;
    }

    /// <summary>The epoll data naming <paramref name="side"/> of the member in <paramref name="slot"/>.</summary>
    public static ulong DataOf(int slot, int side) => ((ulong)slot << 1) | (uint)side;

    /// <summary>Frees <paramref name="slot"/> after the current batch of events (a stale event of it is then ignored). Loop thread only.</summary>
    public void Detach(int slot)
    {
        _slots[slot] = null;
        _released.Add(slot);
    }

    private void Run()
    {
        t_current = this;
        if (_nice != 0 && !LoopPriority.SetCurrentThreadNice(_nice))
        {
            Log.NiceFailed(_logger, _nice, Marshal.GetLastPInvokeError());
        }
        var events = (byte*)NativeMemory.Alloc((nuint)(Capacity * Epoll.EventSize));
        try
        {
            var count = 0;
            while (!_stopping)
            {
                count = _busyPoll.Wait(_epoll, events, Capacity, afterWork: count > 0);
                if (count < 0)
                {
                    if (Marshal.GetLastPInvokeError() != Epoll.EINTR)
                    {
                        Log.WaitFailed(_logger, Marshal.GetLastPInvokeError());
                        break;
                    }
                    continue;
                }
                Dispatch(events, count);
                RunCommands();
            }
        }
        finally
        {
            NativeMemory.Free(events);
            AbortMembers();
        }
    }

    private void Dispatch(byte* events, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var data = Epoll.DataAt(events, i);
            if (data == WakeData)
            {
                Epoll.Drain(_wake);
                continue;
            }
            var slot = (int)(data >> 1);
            if (slot < _slots.Count && _slots[slot] is { } member)
            {
                member.OnEvents((int)(data & 1), Epoll.EventsAt(events, i));
            }
        }
        foreach (var slot in _released)
        {
            _free.Push(slot);
        }
        _released.Clear();
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            var member = command.Member;
            if (member is null || command.Abort)
            {
                if (member is null)
                {
                    AbortMembers();
                }
                else
                {
                    member.Abort();
                }
                continue;
            }
            var slot = _free.Count > 0 ? _free.Pop() : _slots.Count;
            if (slot == _slots.Count)
            {
                _slots.Add(member);
            }
            else
            {
                _slots[slot] = member;
            }
            member.Start(this, slot);
        }
    }

    private void AbortMembers()
    {
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            _slots[slot]?.Abort();
        }
        _free.Clear();
        _released.Clear();
        _slots.Clear();
        if (_stopping)
        {
            DrainAfterStop();
        }
    }

    private void DrainAfterStop()
    {
        while (_commands.TryDequeue(out var command))
        {
            command.Member?.Abort();
        }
    }

    /// <summary>Aborts every member, stops the thread and closes the epoll descriptors. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping = true;
        Wake();
        if (!IsLoopThread)
        {
            _thread.Join();
        }
        CloseDescriptors();
    }

    private void Wake()
    {
        try
        {
            Epoll.Signal(_wake);
        }
        catch (ObjectDisposedException)
        {
            // Disposed: the loop is gone and aborted everything it had.
        }
    }

    private void CloseDescriptors()
    {
        if (_epoll >= 0)
        {
            Epoll.Close(_epoll);
        }
        _wake.Dispose();
        _busyPoll.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4121, EventName = "RelayLoopFailed", Level = LogLevel.Error,
            Message = "The proxy relay loop stopped: epoll_wait failed with errno {Errno}; open connections were reset")]
        public static partial void WaitFailed(ILogger logger, int errno);

        [LoggerMessage(EventId = 4122, EventName = "RelayLoopNiceFailed", Level = LogLevel.Warning,
            Message = "The proxy relay loop could not set its nice value to {Nice} (errno {Errno}); it runs at the process's priority")]
        public static partial void NiceFailed(ILogger logger, int nice, int errno);
    }
}

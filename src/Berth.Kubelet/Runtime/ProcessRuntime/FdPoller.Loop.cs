using Berth.Kubelet.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

internal sealed unsafe partial class FdPoller
{
    private Libc.PollFd[] _fds = [];
    private Registration[] _watched = [];

    private void Run()
    {
        while (!_stopping)
        {
            Rebuild();
            int ready;
            fixed (Libc.PollFd* p = _fds)
            {
                ready = Libc.poll(p, (nuint)_fds.Length, -1);
            }
            if (ready < 0)
            {
                if (Libc.LastError != Libc.EINTR)
                {
                    Log.PollFailed(_logger, Libc.LastError);
                    Thread.Sleep(10);
                }
                continue;
            }
            Dispatch();
        }
    }

    // Only this thread closes registered fds, so a number in _fds is never reused while poll() still looks at it.
    private void Rebuild()
    {
        lock (_gate)
        {
            if (!_dirty)
            {
                return;
            }
            foreach (var removed in _live.Where(r => r.Removed))
            {
                Libc.close(removed.Fd);
            }
            _live.RemoveAll(r => r.Removed);
            _watched = [.. _live];
            _dirty = false;
        }
        _fds = new Libc.PollFd[_watched.Length + 1];
        _fds[0] = new Libc.PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
        for (var i = 0; i < _watched.Length; i++)
        {
            _fds[i + 1] = new Libc.PollFd { Fd = _watched[i].Fd, Events = Libc.POLLIN };
        }
    }

    private void Dispatch()
    {
        if (_fds[0].REvents != 0)
        {
            ulong drained;
            Libc.read(_wakeFd, (byte*)&drained, sizeof(ulong));
        }
        for (var i = 1; i < _fds.Length; i++)
        {
            var events = _fds[i].REvents;
            var registration = _watched[i - 1];
            if (events == 0 || registration.Removed)
            {
                continue;
            }
            if (!Invoke(registration, events))
            {
                Unregister(registration);
            }
        }
    }

    private bool Invoke(Registration registration, short events)
    {
        try
        {
            return registration.OnReady(events);
        }
        catch (Exception ex)
        {
            Log.CallbackFailed(_logger, registration.Fd, ex);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "poll(2) failed with errno {Errno}")]
        public static partial void PollFailed(ILogger logger, int errno);

        [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Descriptor callback for fd {Fd} failed; the registration ends")]
        public static partial void CallbackFailed(ILogger logger, int fd, Exception exception);
    }
}

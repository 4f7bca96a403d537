using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// One ExecSync command: spawned in its own session with stdout/stderr on pipes collected by the poller and a pidfd
/// for its exit; the agent is its parent and reaps it. On timeout its process group is SIGKILLed.
/// </summary>
internal sealed class ExecProcess : IDisposable
{
    private readonly FdPoller _poller;
    private readonly int _pid;
    private readonly PipeCollector _stdout;
    private readonly PipeCollector _stderr;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FdPoller.Registration _exitWatch;

    private ExecProcess(FdPoller poller, int pid, PipeCollector stdout, PipeCollector stderr)
    {
        _poller = poller;
        _pid = pid;
        _stdout = stdout;
        _stderr = stderr;
        var pidfd = Libc.PidfdOpen(pid);
        if (pidfd < 0)
        {
            throw new IOException($"pidfd_open({pid}) failed: errno {Libc.LastError}");
        }
        _exitWatch = poller.Register(pidfd, _ =>
        {
            _exited.TrySetResult();
            return false;
        });
    }

    public static ExecProcess Start(SpawnRequest request, FdPoller poller, int outputCap)
    {
        var (outRead, outWrite) = Pipes.Create();
        var (errRead, errWrite) = Pipes.Create();
        int pid;
        try
        {
            pid = PosixSpawn.Spawn(request with
            {
                Descriptors = new Dictionary<int, int> { [1] = outWrite, [2] = errWrite },
                Opens = new Dictionary<int, (string, int)> { [0] = ("/dev/null", Libc.O_RDONLY) },
            });
        }
        catch
        {
            Libc.close(outRead);
            Libc.close(errRead);
            throw;
        }
        finally
        {
            Libc.close(outWrite);
            Libc.close(errWrite);
        }
        return new ExecProcess(poller, pid, PipeCollector.Start(poller, outRead, outputCap), PipeCollector.Start(poller, errRead, outputCap));
    }

    /// <summary>Waits for exit (or the timeout, then SIGKILLs the group), lets output drain briefly, and reaps.</summary>
    public async Task<ExecSyncResult> WaitAsync(TimeSpan timeout, TimeSpan drain, TimeProvider time, CancellationToken cancellationToken)
    {
        var timedOut = false;
        try
        {
            await _exited.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            timedOut = true;
            Libc.kill(-_pid, Signals.SIGKILL);
            await _exited.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Libc.kill(-_pid, Signals.SIGKILL);
            Reap();
            throw;
        }
        try
        {
            await Task.WhenAll(_stdout.Completion, _stderr.Completion).WaitAsync(drain, time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A background child still holds the pipes; return what arrived.
        }
        return new ExecSyncResult(Reap(), _stdout.Text(), _stderr.Text(), timedOut);
    }

    // The process has exited (or was just SIGKILLed), so this blocking waitpid returns at once.
    private int Reap() => Libc.Reap(_pid, block: true) is { } status ? WaitStatus.ExitCode(status) : -1;

    public void Dispose()
    {
        _poller.Unregister(_exitWatch);
        if (_stdout.Registration is { } o)
        {
            _poller.Unregister(o);
        }
        if (_stderr.Registration is { } e)
        {
            _poller.Unregister(e);
        }
    }
}

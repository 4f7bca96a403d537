using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;

namespace Berth.Testing.Fakes;

public sealed partial class ManualContainerRuntime
{
    public async Task StopContainerAsync(ContainerId id, TimeSpan gracePeriod, int stopSignal, CancellationToken cancellationToken = default)
    {
        FakeContainer c;
        lock (_gate)
        {
            if (!_containers.TryGetValue(id, out c!))
            {
                return;
            }
            _calls.Add($"Stop {c.Config.ContainerName} {gracePeriod.TotalSeconds:0.###} {stopSignal}");
            if (c.Status.State != ContainerState.Running)
            {
                return;
            }
        }
        if (gracePeriod > TimeSpan.Zero && OnStopSignal(c.Config, stopSignal) is { } code)
        {
            Exit(c, code, ContainerReasons.ForExitCode(code), code == 128 + stopSignal ? stopSignal : null);
            return;
        }
        if (gracePeriod > TimeSpan.Zero)
        {
            try
            {
                await c.Exited.Task.WaitAsync(gracePeriod, _time, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
                // The grace period is over: SIGKILL.
            }
        }
        Exit(c, 137, ContainerReasons.Error, 9);
    }

    public Task RemoveContainerAsync(ContainerId id, bool deleteLogs, CancellationToken cancellationToken = default)
    {
        FakeContainer? c;
        lock (_gate)
        {
            if (!_containers.Remove(id, out c))
            {
                return Task.CompletedTask;
            }
            _calls.Add($"Remove {c.Config.ContainerName}");
        }
        if (c.Status.State == ContainerState.Running)
        {
            Exit(c, 137, ContainerReasons.Error, 9);
        }
        return Task.CompletedTask;
    }

    public Task<ExecSyncResult> ExecSyncAsync(ContainerId id, IReadOnlyList<string> argv, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var c = Find(id, "Exec");
        lock (_gate)
        {
            _calls[^1] += " " + (argv.Count > 0 ? argv[0] : "");
            if (c.Status.State != ContainerState.Running)
            {
                throw ApiErrors.BadRequest($"container {id} is not running");
            }
        }
        return Task.FromResult(OnExec(id, argv));
    }

    public IAsyncEnumerable<ContainerExitEvent> WatchContainerExitsAsync(CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ContainerExitEvent>();
        lock (_gate)
        {
            _watchers.Add(channel);
        }
        return Read(channel, cancellationToken);
    }

    private async IAsyncEnumerable<ContainerExitEvent> Read(Channel<ContainerExitEvent> channel,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    // Running/Created → Exited once; publishes the exit.
    private void Exit(FakeContainer c, int exitCode, string reason, int? signal, string? message = null)
    {
        ContainerExitEvent exit;
        lock (_gate)
        {
            if (c.Status.State is ContainerState.Exited)
            {
                return;
            }
            var now = _time.GetUtcNow();
            c.Status = c.Status with
            {
                State = ContainerState.Exited, ExitCode = exitCode, Reason = reason, Signal = signal, Message = message,
                FinishedAt = now, StartedAt = c.Status.StartedAt ?? now,
            };
            exit = new ContainerExitEvent(c.Status.Id, c.Config.PodUid, c.Config.ContainerName, exitCode, reason, now);
            foreach (var w in _watchers)
            {
                w.Writer.TryWrite(exit);
            }
        }
        c.Exited.TrySetResult();
    }
}

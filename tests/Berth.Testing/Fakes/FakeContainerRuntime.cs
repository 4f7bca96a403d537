using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;

namespace Berth.Testing.Fakes;

/// <summary>
/// An in-memory <see cref="IContainerRuntime"/> on a (fake) <see cref="TimeProvider"/>: containers "run" until their
/// <see cref="FakeContainerBehavior"/> makes them exit, the stop signal arrives (exit after a delay, or ignore it), or
/// the grace deadline passes (SIGKILL, 137). Stop follows the real runtime's contract: the signal is sent once, a
/// repeated stop with a shorter grace wins, NotFound and exited containers count as stopped. Everything is recorded
/// in <see cref="Timeline"/> with the fake time, so tests can assert "SIGKILL at 10.9 s". Exits are published to
/// watchers like the real runtime. Timers run inline in <c>FakeTimeProvider.Advance</c>, so recorded times are exact.
/// </summary>
/// <remarks>Thread-safe (one lock).</remarks>
public sealed class FakeContainerRuntime(TimeProvider time) : IContainerRuntime
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ContainerId, FakeContainer> _containers = [];
    private readonly List<FakeRuntimeRecord> _timeline = [];
    private readonly List<Channel<ContainerExitEvent>> _watchers = [];

    /// <summary>Behaviour per created container (default: runs until the stop signal, then exits 143 at once).</summary>
    public Func<ContainerConfig, FakeContainerBehavior> Behavior { get; set; } = _ => new FakeContainerBehavior();

    public IReadOnlyList<FakeRuntimeRecord> Timeline
    {
        get { lock (_gate) { return [.. _timeline]; } }
    }

    /// <summary>The records of one kind (and container, when given), in order.</summary>
    public IReadOnlyList<FakeRuntimeRecord> Records(string kind, string? container = null) =>
        [.. Timeline.Where(r => r.Kind == kind && (container is null || r.Container == container))];

    /// <summary>The configs containers were created with, in order.</summary>
    public IReadOnlyList<ContainerConfig> Created
    {
        get { lock (_gate) { return [.. _containers.Values.OrderBy(c => c.Sequence).Select(c => c.Config)]; } }
    }

    public Task<ContainerId> CreateContainerAsync(ContainerConfig config, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var c = new FakeContainer(ContainerId.New(), config, Behavior(config), time.GetUtcNow(), _containers.Count);
            _containers[c.Id] = c;
            Record("Created", c, "");
            return Task.FromResult(c.Id);
        }
    }

    public Task StartContainerAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        FakeContainer c;
        lock (_gate)
        {
            c = Get(id);
            if (c.State != ContainerState.Created)
            {
                throw ApiErrors.BadRequest($"container {id} is {c.State}, not Created");
            }

            if (c.Behavior.StartFailure is null)
            {
                c.State = ContainerState.Running;
                c.StartedAt = time.GetUtcNow();
                Record("Started", c, "");
            }
            else
            {
                Finish(c, ContainerReasons.StartErrorExitCode, ContainerReasons.StartError, "StartError", c.Behavior.StartFailure);
            }
        }

        if (c.Behavior.StartFailure is { } failure)
        {
            Complete(c);
            throw new ContainerStartException(id, failure);
        }

        if (c.Behavior.ExitAfter is { } after)
        {
            Schedule(after, () => Exit(id, c.Behavior.ExitCode));
        }

        return Task.CompletedTask;
    }

    public async Task StopContainerAsync(ContainerId id, TimeSpan gracePeriod, int stopSignal, CancellationToken cancellationToken = default)
    {
        FakeContainer c;
        var signalled = false;
        lock (_gate)
        {
            if (!_containers.TryGetValue(id, out c!) || c.State != ContainerState.Running)
            {
                return;
            }

            if (gracePeriod > TimeSpan.Zero && c.StopSignal is null)
            {
                c.StopSignal = stopSignal;
                signalled = true;
                Record("StopSignal", c, stopSignal.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (signalled && c.Behavior.OnStopSignal is { } reaction)
        {
            Schedule(reaction.Delay, () => Exit(id, reaction.ExitCode));
        }

        if (gracePeriod > TimeSpan.Zero)
        {
            try
            {
                await c.Exited.Task.WaitAsync(gracePeriod, time, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
                // The deadline passed: SIGKILL.
            }
        }

        var killed = false;
        lock (_gate)
        {
            if (c.State == ContainerState.Running)
            {
                Record("Killed", c, "");
                Finish(c, 137, ContainerReasons.Error, "Exited", null);
                killed = true;
            }
        }

        if (killed)
        {
            Complete(c);
        }

        await c.Exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task RemoveContainerAsync(ContainerId id, bool deleteLogs, CancellationToken cancellationToken = default)
    {
        FakeContainer? finished = null;
        lock (_gate)
        {
            if (_containers.Remove(id, out var c))
            {
                if (c.State == ContainerState.Running)
                {
                    Finish(c, 137, ContainerReasons.Error, "Exited", null);
                    finished = c;
                }

                Record("Removed", c, "");
            }
        }

        if (finished is not null)
        {
            Complete(finished);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ContainerStatus>>([.. _containers.Values.OrderBy(c => c.Sequence).Select(c => c.ToStatus())]);
        }
    }

    public Task<ContainerStatus> GetContainerStatusAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Get(id).ToStatus());
        }
    }

    public async Task<ExecSyncResult> ExecSyncAsync(ContainerId id, IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        FakeContainer c;
        FakeExecResult result;
        lock (_gate)
        {
            c = Get(id);
            if (c.State != ContainerState.Running)
            {
                throw ApiErrors.BadRequest($"container {id} is not running");
            }

            result = c.Behavior.Exec(argv);
            Record("ExecStarted", c, string.Join(" ", argv));
        }

        var finished = Task.Delay(result.Duration, time, cancellationToken);
        var limit = timeout == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken) : Task.Delay(timeout, time, cancellationToken);
        var winner = await Task.WhenAny(finished, limit, c.Exited.Task).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = winner == finished ? new ExecSyncResult(result.ExitCode, result.Output, "", false)
            : winner == limit ? new ExecSyncResult(137, "", "", true)
            : new ExecSyncResult(137, "", "", false);
        lock (_gate)
        {
            Record("ExecFinished", c, outcome.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return outcome;
    }

    public async IAsyncEnumerable<ContainerExitEvent> WatchContainerExitsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ContainerExitEvent>();
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var exit in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return exit;
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

    /// <summary>Makes a running container exit by itself now with <paramref name="exitCode"/>.</summary>
    public void Exit(ContainerId id, int exitCode)
    {
        FakeContainer? finished = null;
        lock (_gate)
        {
            if (_containers.TryGetValue(id, out var c) && c.State == ContainerState.Running)
            {
                Finish(c, exitCode, ContainerReasons.ForExitCode(exitCode), "Exited", null);
                finished = c;
            }
        }

        if (finished is not null)
        {
            Complete(finished);
        }
    }

    /// <summary>Makes the runtime lose a running container: state Unknown, no exit record.</summary>
    public void Vanish(ContainerId id)
    {
        FakeContainer c;
        lock (_gate)
        {
            c = Get(id);
            c.State = ContainerState.Unknown;
            Record("Vanished", c, "");
        }

        c.Exited.TrySetResult();
    }

    /// <summary>The newest container of <paramref name="containerName"/> (optionally of one pod).</summary>
    public ContainerStatus? Latest(string containerName, string? podUid = null)
    {
        lock (_gate)
        {
            return _containers.Values.Where(c => c.Config.ContainerName == containerName && (podUid is null || c.Config.PodUid == podUid))
                .OrderByDescending(c => c.Sequence).FirstOrDefault()?.ToStatus();
        }
    }

    private void Schedule(TimeSpan delay, Action action)
    {
        if (delay <= TimeSpan.Zero)
        {
            action();
            return;
        }

        _ = Task.Delay(delay, time).ContinueWith(_ => action(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // Under the lock: the container becomes Exited. Call Complete after releasing the lock.
    private void Finish(FakeContainer c, int exitCode, string reason, string kind, string? message)
    {
        c.State = ContainerState.Exited;
        c.ExitCode = exitCode;
        c.Reason = reason;
        c.Message = message;
        c.FinishedAt = time.GetUtcNow();
        Record(kind, c, exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // Outside the lock: publishes the exit and releases waiters (their continuations may run inline).
    private void Complete(FakeContainer c)
    {
        var exit = new ContainerExitEvent(c.Id, c.Config.PodUid, c.Config.ContainerName, c.ExitCode ?? 137, c.Reason ?? "", c.FinishedAt ?? time.GetUtcNow());
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Writer.TryWrite(exit);
            }
        }

        c.Exited.TrySetResult();
    }

    private FakeContainer Get(ContainerId id) => _containers.TryGetValue(id, out var c) ? c : throw ApiErrors.NotFound("containers", id.Value ?? "");

    private void Record(string kind, FakeContainer c, string detail) =>
        _timeline.Add(new FakeRuntimeRecord(time.GetUtcNow(), kind, c.Config.PodUid, c.Config.ContainerName, c.Id.Value, detail));

    private sealed class FakeContainer(ContainerId id, ContainerConfig config, FakeContainerBehavior behavior, DateTimeOffset createdAt, int sequence)
    {
        public ContainerId Id { get; } = id;

        public ContainerConfig Config { get; } = config;

        public FakeContainerBehavior Behavior { get; } = behavior;

        public int Sequence { get; } = sequence;

        public ContainerState State { get; set; } = ContainerState.Created;

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }

        public int? ExitCode { get; set; }

        public string? Reason { get; set; }

        public string? Message { get; set; }

        public int? StopSignal { get; set; }

        public TaskCompletionSource Exited { get; } = new();

        public ContainerStatus ToStatus() => new()
        {
            Id = Id,
            PodUid = Config.PodUid,
            ContainerName = Config.ContainerName,
            Attempt = Config.Attempt,
            State = State,
            CreatedAt = createdAt,
            StartedAt = StartedAt,
            FinishedAt = FinishedAt,
            ExitCode = ExitCode,
            Reason = Reason,
            Message = Message,
            LogPath = $"/fake/logs/{Config.PodUid}/{Config.ContainerName}/{Config.Attempt}.log",
            Labels = Config.Labels,
            Annotations = Config.Annotations,
        };
    }
}

using System.Threading.Channels;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;

namespace Berth.Testing.Fakes;

/// <summary>
/// A hand-written <see cref="IContainerRuntime"/> for pod-worker, probe and hook tests: no processes, exits under
/// test control, grace periods on the injected <see cref="TimeProvider"/>. Follows the same contract as
/// ProcessContainerRuntime (checked by the shared conformance suite). Mirrors kubernetes/kubernetes
/// pkg/kubelet/kuberuntime/fake_kuberuntime_manager.go and cri-api's fake_runtime_service.go.
/// </summary>
/// <remarks>Thread-safe. Every call is appended to <see cref="Calls"/> for assertions.</remarks>
public sealed partial class ManualContainerRuntime(TimeProvider? time = null) : IContainerRuntime
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<ContainerId, FakeContainer> _containers = [];
    private readonly List<Channel<ContainerExitEvent>> _watchers = [];
    private readonly List<string> _calls = [];
    private int _nextPid = 1000;

    /// <summary>Returns a start error message for a config, or null to start it. Default: every start succeeds.</summary>
    public Func<ContainerConfig, string?> StartFailure { get; set; } = _ => null;

    /// <summary>
    /// Called when a stop signal reaches a container: the exit code it exits with at once, or null when it ignores
    /// the signal (then it is SIGKILLed at the grace deadline, exit 137). Default: dies of the signal (128 + n).
    /// </summary>
    public Func<ContainerConfig, int, int?> OnStopSignal { get; set; } = (_, signal) => 128 + signal;

    /// <summary>Result of ExecSync. Default: exit 0, no output.</summary>
    public Func<ContainerId, IReadOnlyList<string>, ExecSyncResult> OnExec { get; set; } = (_, _) => new ExecSyncResult(0, "", "", false);

    /// <summary>Calls in order: "Create &lt;name&gt;", "Start &lt;name&gt;", "Stop &lt;name&gt; &lt;grace s&gt; &lt;signal&gt;", "Remove &lt;name&gt;", "Exec &lt;name&gt; &lt;argv0&gt;".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Simulates the main process of a Running container exiting by itself.</summary>
    public void ExitContainer(ContainerId id, int exitCode, string? reason = null, int? signal = null)
    {
        FakeContainer container;
        lock (_gate)
        {
            container = _containers.TryGetValue(id, out var c) ? c : throw ApiErrors.NotFound("containers", id.Value);
        }
        Exit(container, exitCode, reason ?? ContainerReasons.ForExitCode(exitCode), signal);
    }

    public Task<ContainerId> CreateContainerAsync(ContainerConfig config, CancellationToken cancellationToken = default)
    {
        var id = ContainerId.New();
        lock (_gate)
        {
            _calls.Add($"Create {config.ContainerName}");
            _containers[id] = new FakeContainer(id, config, _time.GetUtcNow());
        }
        return Task.FromResult(id);
    }

    public Task StartContainerAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        var c = Find(id, "Start");
        string? failure;
        lock (_gate)
        {
            if (c.Status.State != ContainerState.Created)
            {
                throw ApiErrors.BadRequest($"container {id} is {c.Status.State}, not Created");
            }
            failure = StartFailure(c.Config);
            if (failure is null)
            {
                c.Status = c.Status with { State = ContainerState.Running, Pid = ++_nextPid, StartedAt = _time.GetUtcNow() };
            }
        }
        if (failure is not null)
        {
            Exit(c, ContainerReasons.StartErrorExitCode, ContainerReasons.StartError, null, failure);
            throw new ContainerStartException(id, failure);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ContainerStatus>>(_containers.Values.Select(c => c.Status).ToList());
        }
    }

    public Task<ContainerStatus> GetContainerStatusAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _containers.TryGetValue(id, out var c)
                ? Task.FromResult(c.Status)
                : throw ApiErrors.NotFound("containers", id.Value ?? "");
        }
    }

    private FakeContainer Find(ContainerId id, string call)
    {
        lock (_gate)
        {
            var c = _containers.TryGetValue(id, out var found) ? found : throw ApiErrors.NotFound("containers", id.Value ?? "");
            _calls.Add($"{call} {c.Config.ContainerName}");
            return c;
        }
    }

    private sealed class FakeContainer(ContainerId id, ContainerConfig config, DateTimeOffset createdAt)
    {
        public ContainerConfig Config { get; } = config;

        public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ContainerStatus Status { get; set; } = new()
        {
            Id = id,
            PodUid = config.PodUid,
            ContainerName = config.ContainerName,
            Attempt = config.Attempt,
            State = ContainerState.Created,
            CreatedAt = createdAt,
            LogPath = $"/fake/logs/{config.PodNamespace}_{config.PodName}_{config.PodUid}/{config.ContainerName}/{config.Attempt}.log",
            Labels = config.Labels,
            Annotations = config.Annotations,
        };
    }
}

using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// The runtime's in-memory view of one container. <see cref="Gate"/> guards <see cref="State"/> and the mutable
/// fields; every change to State is saved to disk before the lock is released.
/// </summary>
internal sealed class ContainerRecord(ContainerId id, ContainerPaths paths, ContainerStateFile state,
    IReadOnlyDictionary<string, string>? environment)
{
    public ContainerId Id { get; } = id;

    public ContainerPaths Paths { get; } = paths;

    public Lock Gate { get; } = new();

    public ContainerStateFile State { get; } = state;

    /// <summary>The container environment; null after an adoption (read from /proc when needed).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; } = environment;

    /// <summary>Completes when the container reached Exited (its status is final and saved).</summary>
    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when StartContainer has finished (Running, or start failed). The exit handler waits for it, so a
    /// container that exits within microseconds is still seen Running first.
    /// </summary>
    public TaskCompletionSource StartCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the start failed (no PID reported, spawn error); the exit handler then reports StartError.</summary>
    public string? StartFailure { get; set; }

    /// <summary>Set once StartContainer ran (or the container was adopted): a second start is rejected.</summary>
    public bool StartAttempted { get; set; }

    /// <summary>The stop signal already delivered to the main process, so a repeated stop does not resend it.</summary>
    public int? StopSignalSent { get; set; }

    /// <summary>True once the runtime SIGKILLed the tree because a grace period ran out.</summary>
    public bool KilledAtDeadline { get; set; }

    /// <summary>The grace deadline that expired and when the SIGKILL actually went out (kill precision diagnostics).</summary>
    public (DateTimeOffset Deadline, DateTimeOffset SentAt)? DeadlineKill { get; set; }

    /// <summary>True when this agent spawned the shim (it can reap it with waitpid); false after an adoption.</summary>
    public bool ShimIsChild { get; set; }

    public ContainerLogPump? Pump { get; set; }

    public FdPoller.Registration? ExitWatch { get; set; }

    /// <summary>Saves <see cref="State"/>; call with <see cref="Gate"/> held.</summary>
    public void Save() => State.Save(Paths.StateFile);
}

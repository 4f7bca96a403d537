namespace Berth.Kubelet.Runtime;

/// <summary>
/// A snapshot of one container. Immutable; the runtime hands out a new one per call.
/// Mirrors kubernetes/cri-api pkg/apis/runtime/v1 (ContainerStatus).
/// </summary>
public sealed record ContainerStatus
{
    public required ContainerId Id { get; init; }

    public required string PodUid { get; init; }

    public required string ContainerName { get; init; }

    public int Attempt { get; init; }

    public required ContainerState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>PID of the main process (the one the stop signal goes to) while it runs or after it ran.</summary>
    public int? Pid { get; init; }

    /// <summary>Set once Exited: the process's exit code, or 128 + n when signal n ended it.</summary>
    public int? ExitCode { get; init; }

    /// <summary>
    /// The signal that ended the main process when the runtime observed it directly (it sent the SIGKILL, or reaped
    /// the process); null when only the exit code is known. An exit code above 128 does not by itself prove a signal.
    /// </summary>
    public int? Signal { get; init; }

    /// <summary>Completed, Error, OOMKilled, StartError or ContainerStatusUnknown (see <see cref="ContainerReasons"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>Human-readable detail, e.g. why a start failed. Never contains env values or output.</summary>
    public string? Message { get; init; }

    /// <summary>Absolute path of the live CRI log file.</summary>
    public required string LogPath { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
}

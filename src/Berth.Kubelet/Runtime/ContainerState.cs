namespace Berth.Kubelet.Runtime;

/// <summary>
/// Lifecycle of one container instance. Transitions: Created → Running (StartContainer) → Exited (main process
/// ended, by itself or by StopContainer); Created → Exited (start failed, reason StartError). Unknown only for a
/// state directory the runtime cannot read after a restart. A container never leaves Exited; a restart is a new
/// container with Attempt + 1. Mirrors kubernetes/cri-api pkg/apis/runtime/v1 (ContainerState).
/// </summary>
public enum ContainerState
{
    /// <summary>Created, not started: nothing runs yet.</summary>
    Created,

    /// <summary>The main process runs.</summary>
    Running,

    /// <summary>The main process ended; exit code, reason and finishedAt are final.</summary>
    Exited,

    /// <summary>State lost or unreadable; treat as not running.</summary>
    Unknown,
}

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>How the runtime finds every process of a container when it must kill the whole tree.</summary>
public enum ContainmentMode
{
    /// <summary>A cgroup v2 per container when the machine allows it (root, writable cgroup2), else <see cref="ProcessGroup"/>.</summary>
    Auto,

    /// <summary>
    /// No cgroup: the container's own session/process group, plus a scan of <c>/proc/*/environ</c> for the
    /// <c>BERTH_CONTAINER_ID</c> marker every container process inherits (catches double-forked daemons that called
    /// setsid; misses only a process that scrubbed its environment).
    /// </summary>
    ProcessGroup,
}

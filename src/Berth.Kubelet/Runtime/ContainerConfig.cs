using System.Text.Json.Serialization;

namespace Berth.Kubelet.Runtime;

/// <summary>
/// Everything the runtime needs to create one container instance. The kubelet resolves it beforehand: <c>$(VAR)</c>
/// expansion, env from ConfigMaps/Secrets/fieldRefs, command + args merged into <see cref="Argv"/>.
/// Mirrors kubernetes/cri-api pkg/apis/runtime/v1 (ContainerConfig).
/// </summary>
public sealed record ContainerConfig
{
    public required string PodUid { get; init; }

    public required string PodNamespace { get; init; }

    public required string PodName { get; init; }

    public required string ContainerName { get; init; }

    /// <summary>Restart count of this container in the pod; names the log file (<c>&lt;attempt&gt;.log</c>).</summary>
    public int Attempt { get; init; }

    /// <summary>Resolved argv; argv[0] without a '/' is looked up in the container's PATH, as a runtime does.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The container's complete environment. PATH defaults to the usual system path when absent.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Absolute working directory; null means <c>/</c>, a container's default. Must exist.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The pod's IPv4 address when the pod has its own (not <c>hostNetwork</c>): a runtime that can (see
    /// <see cref="Network.PodSockets.PodSocketAddresses"/>) moves the container's wildcard and localhost binds onto it.
    /// </summary>
    public string? PodAddress { get; init; }

    /// <summary>Memory limit in bytes (resources.limits.memory); enforced only when a cgroup memory controller is available.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>
    /// Bind mounts applied in the container's private mount namespace (volumeMounts, the pod's resolv.conf). Needs
    /// a runtime that supports mount namespaces; the process runtime rejects them at start otherwise.
    /// </summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>
    /// <c>terminationMessagePath</c> (API default <c>/dev/termination-log</c>); null or empty for none. The runtime gives
    /// the container a writable per-container file there when it has a private mount namespace, and reads the
    /// message from it (last 4096 bytes) when the container exits.
    /// </summary>
    public string? TerminationMessagePath { get; init; }

    /// <summary><c>terminationMessagePolicy: FallbackToLogsOnError</c>: an error exit with an empty message takes the log tail.</summary>
    public bool TerminationMessageFallbackToLogs { get; init; }

    /// <summary>
    /// The container spec's <c>stdin</c>: the main process reads a pipe that stays open while nobody is attached (it
    /// sees end of file only after <see cref="StdinOnce"/> closed it); without it, it reads <c>/dev/null</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stdin { get; init; }

    /// <summary><c>stdinOnce</c>: stdin is closed once the first attach session that sent input ended.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool StdinOnce { get; init; }

    /// <summary><c>tty</c>: stdin, stdout and stderr are one pseudo-terminal; its output is logged as stdout.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Tty { get; init; }

    /// <summary>Kept with the container and returned in its status (kubelet stores pod/container identity here).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Kept with the container (kubelet stores hash, restart count, grace period, preStop spec here).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
}

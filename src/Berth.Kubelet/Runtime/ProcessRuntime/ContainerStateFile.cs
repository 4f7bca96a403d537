using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Kubelet.Util;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// What survives an agent restart for one container (<c>state.json</c>, mode 0600). Written by the agent after
/// every transition, under the container's lock, through <see cref="SmallStateFile"/>: overwritten in place
/// (one page, compact JSON padded with spaces; no new inode per save) or, when larger than a page, temp file + rename.
/// Either way a kill of the agent leaves the old or the new content; an empty or torn file (machine crash) reads as
/// unreadable. The environment is NOT stored
/// (it may hold secrets): exec after an adoption reads it back from <c>/proc/&lt;pid&gt;/environ</c>.
/// PIDs come with their start time (<c>/proc/&lt;pid&gt;/stat</c> field 22) so a reused PID is never mistaken
/// for the container. Mirrors tye's ReplicaRegistry, keyed by pod UID and container ID.
/// </summary>
internal sealed class ContainerStateFile
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Id { get; init; }

    /// <summary>The config as created, with an empty environment.</summary>
    public required ContainerConfig Config { get; init; }

    public required string LogPath { get; init; }

    /// <summary>The container's cgroup directory, or null under <see cref="ContainmentMode.ProcessGroup"/>.</summary>
    public string? Cgroup { get; set; }

    public ContainerState State { get; set; }

    /// <summary>True when the container runs in a private mount namespace (exec enters it through the main PID).</summary>
    public bool MountNamespace { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>True once an attach session closed the container's stdin for good (stdinOnce).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool StdinClosed { get; set; }

    public int? ShimPid { get; set; }

    public ulong? ShimStartTime { get; set; }

    public int? Pid { get; set; }

    public ulong? PidStartTime { get; set; }

    public int? ExitCode { get; set; }

    public int? Signal { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>Persists this state to <paramref name="path"/>; callers hold the container's lock.</summary>
    public void Save(string path) => SmallStateFile.Write(path, ToUtf8());

    /// <summary>The JSON <see cref="Save"/> writes (without the padding of an in-place rewrite).</summary>
    internal byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Reads what <see cref="ToUtf8"/> wrote; throws <see cref="JsonException"/> when it is not a state.</summary>
    internal static ContainerStateFile FromUtf8(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<ContainerStateFile>(utf8, JsonOptions) ?? throw new JsonException("state.json holds null");

    /// <summary>
    /// Reads a state file; null when it is missing or unreadable: empty, torn or otherwise not one JSON object (the
    /// caller reports the container Unknown). Trailing spaces (the padding of an in-place write) are ignored.
    /// </summary>
    public static ContainerStateFile? TryLoad(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ContainerStateFile>(stream, JsonOptions);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    public ContainerStatus ToStatus() => new()
    {
        Id = new ContainerId(Id),
        PodUid = Config.PodUid,
        ContainerName = Config.ContainerName,
        Attempt = Config.Attempt,
        State = State,
        CreatedAt = CreatedAt,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Pid = Pid,
        ExitCode = ExitCode,
        Signal = Signal,
        Reason = Reason,
        Message = Message,
        LogPath = LogPath,
        Labels = Config.Labels,
        Annotations = Config.Annotations,
    };
}

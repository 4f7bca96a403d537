using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// What survives an agent restart for one container (<c>state.json</c>, mode 0600). Written by the agent after
/// every transition, atomically (temp file + rename), under the container's lock. The environment is NOT stored
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
        WriteIndented = true,
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

    public int? ShimPid { get; set; }

    public ulong? ShimStartTime { get; set; }

    public int? Pid { get; set; }

    public ulong? PidStartTime { get; set; }

    public int? ExitCode { get; set; }

    public int? Signal { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public void Save(string path)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this, JsonOptions);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a state file; null when it is missing or unreadable (the caller reports the container Unknown).</summary>
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

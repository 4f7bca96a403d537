using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Kubelet.Network;

/// <summary>
/// The persisted allocations, in two slots written alternately: <c>pod-ips.json</c> and <c>pod-ips.b.json</c>, each
/// <c>{"generation": 7, "range": "127.1.0.0/16", "last": "127.1.0.7", "pods": {"&lt;uid&gt;": "127.1.0.7"}, "end": 7}</c>.
/// A save overwrites the slot of the older generation in place (write, then truncate), so it creates no inode (a
/// temp file + rename per pod start and stop did, and on this filesystem inode creation after many deletions is the
/// expensive part). A kill of the agent in the middle of a save leaves that slot unparsable, truncated-less (old
/// bytes after the new object) or with a head whose <c>generation</c> differs from its tail's <c>end</c>, and
/// <see cref="Load"/> then takes the other slot: either the old or the new content survives, as with a rename.
/// A file of the earlier single-file format (no generation) loads as generation 0.
/// Not fsynced, like the runtime's container state files: the allocations only matter while the pods' processes run,
/// and those do not outlive the machine. Not thread-safe; <see cref="PodAddressAllocator"/> calls it under its lock.
/// </summary>
internal sealed class PodAddressStateFile(string directory)
{
    public const string FileName = "pod-ips.json";

    public const string SecondFileName = "pod-ips.b.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private long _generation;

    /// <summary>The first slot (also the file of the earlier single-file format).</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The second slot.</summary>
    public string SecondPath { get; } = System.IO.Path.Combine(directory, SecondFileName);

    /// <summary>
    /// The newest intact slot, or null when neither file exists. Throws <see cref="JsonException"/> when a slot exists
    /// and none is intact (a damaged state the agent must not silently forget), or IO errors.
    /// </summary>
    public PodAddressState? Load()
    {
        var first = TryRead(Path, out var firstError);
        var second = TryRead(SecondPath, out var secondError);
        if (first is null && second is null)
        {
            return (firstError ?? secondError) is { } error ? throw error : null;
        }
        var (generation, root) = second is { } b && (first is not { } a || b.Generation > a.Generation) ? b : first!.Value;
        _generation = generation;
        var pods = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root["pods"] is JsonObject podsObj)
        {
            foreach (var (uid, ip) in podsObj)
            {
                if (ip is JsonValue value && value.TryGetValue<string>(out var address))
                {
                    pods[uid] = address;
                }
            }
        }
        return new PodAddressState(AsString(root["range"]), AsString(root["last"]), pods);
    }

    /// <summary>Writes the next generation over the slot that does not hold the newest one.</summary>
    public void Save(PodAddressState state)
    {
        Directory.CreateDirectory(directory);
        var generation = _generation + 1;
        var pods = new JsonObject();
        foreach (var (uid, ip) in state.Pods.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            pods[uid] = ip;
        }
        var root = new JsonObject
        {
            ["generation"] = generation, ["range"] = state.Range, ["last"] = state.Last, ["pods"] = pods, ["end"] = generation,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(root, Indented);
        using (var stream = new FileStream(generation % 2 == 0 ? Path : SecondPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, 1))
        {
            RandomAccess.Write(stream.SafeFileHandle, bytes, 0);
            stream.SetLength(bytes.Length);
        }
        _generation = generation;
    }

    // An intact slot: one JSON object whose generation (0 when absent, the earlier format) equals its end marker.
    private static (long Generation, JsonObject Root)? TryRead(string path, out JsonException? error)
    {
        error = null;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new JsonException($"{path}: not a JSON object");
            var generation = AsLong(root["generation"]);
            return generation == AsLong(root["end"]) ? (generation, root) : throw new JsonException($"{path}: torn (generation {generation}, end {AsLong(root["end"])})");
        }
        catch (JsonException e)
        {
            error = e;
            return null;
        }
    }

    private static long AsLong(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;

    private static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>A snapshot of the allocations (pod UID → address) and the last address handed out.</summary>
internal sealed record PodAddressState(string? Range, string? Last, IReadOnlyDictionary<string, string> Pods);

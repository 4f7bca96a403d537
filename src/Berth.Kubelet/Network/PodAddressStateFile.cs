using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Kubelet.Network;

/// <summary>
/// The persisted allocations: <c>{"range": "127.1.0.0/16", "last": "127.1.0.7", "pods": {"&lt;uid&gt;": "127.1.0.7"}}</c>.
/// Written atomically (temporary file, rename) so that a crash of the agent leaves either the old or the new content.
/// Not fsynced, like the runtime's container state files: the allocations only matter while the pods' processes run,
/// and those do not outlive the machine, so an fsync per pod start and stop (under the allocator's lock) bought no
/// durability that is needed. Not thread-safe; <see cref="PodAddressAllocator"/> calls it under its lock.
/// </summary>
internal sealed class PodAddressStateFile(string directory)
{
    public const string FileName = "pod-ips.json";

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The stored state, or null when the file does not exist. Throws <see cref="JsonException"/> or IO errors on a damaged file.</summary>
    public PodAddressState? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }
        var root = JsonNode.Parse(File.ReadAllBytes(Path)) as JsonObject ?? throw new JsonException($"{Path}: not a JSON object");
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

    public void Save(PodAddressState state)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var pods = new JsonObject();
        foreach (var (uid, ip) in state.Pods.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            pods[uid] = ip;
        }
        var root = new JsonObject { ["range"] = state.Range, ["last"] = state.Last, ["pods"] = pods };
        var temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            root.WriteTo(writer);
        }
        File.Move(temp, Path, overwrite: true);
    }

    private static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>A snapshot of the allocations (pod UID → address) and the last address handed out.</summary>
internal sealed record PodAddressState(string? Range, string? Last, IReadOnlyDictionary<string, string> Pods);

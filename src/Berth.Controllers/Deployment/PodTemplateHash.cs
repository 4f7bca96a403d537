using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Controllers.Deployment;

/// <summary>
/// The <c>pod-template-hash</c> of a Deployment's pod template, and template equality ignoring that label. Both work
/// on a canonical form of the defaulted template: object keys sorted, and nulls, empty strings, <c>false</c>, zero,
/// empty objects and empty arrays left out, the way Go's <c>omitempty</c> drops them when kubectl re-encodes a template
/// (<c>rollout undo</c> sends <c>"creationTimestamp":null</c> and <c>"resources":{}</c>). The hash is FNV-32a over the
/// canonical UTF-8 JSON, then the collision count as 4 little-endian bytes when set, rendered in decimal and mapped
/// onto upstream's safe alphabet. Stable across restarts and processes; pure and thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/controller_utils.go (ComputeHash) and
/// pkg/controller/deployment/util/deployment_util.go (EqualIgnoreHash). Deviation (docs/deviations.md): upstream
/// deep-hashes the Go struct with spew, so the hash values differ from a real cluster's.
/// </remarks>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonObject? template, long? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(template, null));
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }
        if (collisionCount is { } count)
        {
            Span<byte> extra = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(extra, unchecked((uint)count));
            foreach (var b in extra)
            {
                hash = unchecked((hash ^ b) * 16777619u);
            }
        }
        return SafeEncodeString(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether two templates are equal once the <c>pod-template-hash</c> label is ignored.</summary>
    public static bool EqualIgnoreHash(JsonObject? a, JsonObject? b) => Canonical(a, Label) == Canonical(b, Label);

    /// <summary>Maps each character onto the alphabet without vowels (upstream rand.SafeEncodeString).</summary>
    public static string SafeEncodeString(string s) => string.Concat(s.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));

    /// <summary>The canonical JSON text; <paramref name="ignoreLabel"/> is dropped from <c>metadata.labels</c>.</summary>
    internal static string Canonical(JsonObject? template, string? ignoreLabel)
    {
        var copy = template?.DeepClone().AsObject() ?? [];
        if (ignoreLabel is not null && copy["metadata"] is JsonObject meta && meta["labels"] is JsonObject labels)
        {
            labels.Remove(ignoreLabel);
        }
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, copy);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!IsEmpty(value))
                    {
                        writer.WritePropertyName(key);
                        Write(writer, value);
                    }
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>What Go's omitempty leaves out (recursively for objects).</summary>
    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonObject obj => obj.All(p => IsEmpty(p.Value)),
        JsonArray array => array.Count == 0,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null => true,
            JsonValueKind.String => value.GetValue<string>().Length == 0,
            JsonValueKind.Number => value.ToJsonString() is "0" or "0.0",
            _ => false,
        },
        _ => false,
    };
}

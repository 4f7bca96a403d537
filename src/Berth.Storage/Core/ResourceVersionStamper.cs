using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Storage.Core;

/// <summary>
/// Serialises a value to compact UTF-8 with <c>metadata.resourceVersion</c> set to the write's revision, without
/// mutating the caller's <see cref="JsonObject"/>. An existing resourceVersion is replaced in place; otherwise it is
/// appended to <c>metadata</c> (created when absent).
/// </summary>
/// <remarks>Thread-safe: each thread reuses its own buffer.</remarks>
internal static class ResourceVersionStamper
{
    private const string MetadataField = "metadata";
    private const string ResourceVersionField = "resourceVersion";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Serialize(JsonObject value, long revision)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        var rv = revision.ToString(CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        var sawMetadata = false;
        foreach (var (name, node) in value)
        {
            writer.WritePropertyName(name);
            if (name == MetadataField)
            {
                sawMetadata = true;
                WriteMetadata(writer, node as JsonObject, rv);
            }
            else
            {
                WriteNode(writer, node);
            }
        }
        if (!sawMetadata)
        {
            writer.WritePropertyName(MetadataField);
            WriteMetadata(writer, null, rv);
        }
        writer.WriteEndObject();
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20)
        {
            t_buffer = null;
            t_writer = null;
        }
        return bytes;
    }

    /// <summary>Re-serialises stored bytes with a new revision (the last state of a deleted object).</summary>
    public static byte[] Restamp(ReadOnlySpan<byte> stored, long revision) =>
        Serialize(JsonNode.Parse(stored)!.AsObject(), revision);

    private static void WriteMetadata(Utf8JsonWriter writer, JsonObject? meta, string rv)
    {
        writer.WriteStartObject();
        var written = false;
        foreach (var (name, node) in meta ?? [])
        {
            if (name == ResourceVersionField)
            {
                writer.WriteString(ResourceVersionField, rv);
                written = true;
                continue;
            }
            writer.WritePropertyName(name);
            WriteNode(writer, node);
        }
        if (!written)
        {
            writer.WriteString(ResourceVersionField, rv);
        }
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}

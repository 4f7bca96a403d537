using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// Reads scalar field values as JSON values: strings, numbers, booleans, and bytes as base64 (Go's JSON for <c>[]byte</c>).
/// Checks the wire type against the field type first, because Google.Protobuf's readers trust the caller.
/// </summary>
internal static class ProtobufWireValues
{
    /// <summary>Throws <see cref="ProtobufDecodeException"/> when the wire type does not fit the field's declared type.</summary>
    public static void ExpectWireType(FieldDescriptor field, WireFormat.WireType actual)
    {
        var expected = Expected(field.FieldType);
        if (actual != expected)
        {
            throw new ProtobufDecodeException(
                $"field \"{field.Name}\" of {field.ContainingType.Name} has wire type {actual}, expected {expected}");
        }
    }

    /// <summary>Scalars that proto allows in packed form (everything but strings, bytes and messages).</summary>
    public static bool IsPackable(FieldDescriptor field) => Expected(field.FieldType) != WireFormat.WireType.LengthDelimited;

    /// <summary>Reads one scalar; the wire type has been checked.</summary>
    public static JsonNode? ReadScalar(FieldDescriptor field, CodedInputStream input) => field.FieldType switch
    {
        FieldType.String => JsonValue.Create(input.ReadString()),
        FieldType.Bytes => JsonValue.Create(Convert.ToBase64String(input.ReadBytes().Span)),
        FieldType.Bool => JsonValue.Create(input.ReadBool()),
        FieldType.Int32 => JsonValue.Create(input.ReadInt32()),
        FieldType.Int64 => JsonValue.Create(input.ReadInt64()),
        FieldType.UInt32 => JsonValue.Create(input.ReadUInt32()),
        FieldType.UInt64 => JsonValue.Create(input.ReadUInt64()),
        FieldType.SInt32 => JsonValue.Create(input.ReadSInt32()),
        FieldType.SInt64 => JsonValue.Create(input.ReadSInt64()),
        FieldType.Fixed32 => JsonValue.Create(input.ReadFixed32()),
        FieldType.Fixed64 => JsonValue.Create(input.ReadFixed64()),
        FieldType.SFixed32 => JsonValue.Create(input.ReadSFixed32()),
        FieldType.SFixed64 => JsonValue.Create(input.ReadSFixed64()),
        FieldType.Double => Finite(input.ReadDouble(), field),
        FieldType.Float => Finite(input.ReadFloat(), field),
        FieldType.Enum => JsonValue.Create(input.ReadEnum()),
        var other => throw new ProtobufDecodeException($"field \"{field.Name}\" has unsupported type {other}"),
    };

    /// <summary>The JSON of a scalar's zero value (a map entry without its value).</summary>
    public static JsonNode? Zero(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String or FieldType.Bytes => JsonValue.Create(""),
        FieldType.Bool => JsonValue.Create(false),
        _ => JsonValue.Create(0),
    };

    /// <summary>True for "", 0, false: the values Go's <c>omitempty</c> drops.</summary>
    public static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonValue v when v.TryGetValue<int>(out var i) => i == 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<uint>(out var u) => u == 0,
        JsonValue v when v.TryGetValue<ulong>(out var ul) => ul == 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d == 0,
        JsonValue v when v.TryGetValue<float>(out var f) => f == 0,
        _ => false,
    };

    private static JsonNode Finite(double value, FieldDescriptor field) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : throw new ProtobufDecodeException($"field \"{field.Name}\" is not a finite number");

    private static WireFormat.WireType Expected(FieldType type) => type switch
    {
        FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float => WireFormat.WireType.Fixed32,
        FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double => WireFormat.WireType.Fixed64,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        FieldType.Group => WireFormat.WireType.StartGroup,
        _ => WireFormat.WireType.Varint,
    };
}

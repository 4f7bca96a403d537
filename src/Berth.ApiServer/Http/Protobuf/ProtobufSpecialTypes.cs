using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// apimachinery types whose protobuf form differs from their JSON form: meta/v1 Time, MicroTime, Duration, FieldsV1,
/// util/intstr IntOrString, api/resource Quantity, runtime RawExtension. Each converter returns the JSON value, or null
/// where Go's JSON has <c>null</c> (a zero time, an empty RawExtension). Mirrors k8s.io/apimachinery pkg/apis/meta/v1
/// (time_proto.go, micro_time_proto.go), pkg/util/intstr/intstr.go, pkg/api/resource/quantity_proto.go and
/// pkg/runtime/types_proto.go.
/// </summary>
internal static class ProtobufSpecialTypes
{
    private const string Meta = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    /// <summary>True when <paramref name="fullName"/> has its own converter here.</summary>
    public static bool IsSpecial(string fullName) => fullName is Meta + "Time" or Meta + "MicroTime" or Meta + "Duration"
        or Meta + "FieldsV1" or "k8s.io.apimachinery.pkg.util.intstr.IntOrString" or "k8s.io.apimachinery.pkg.api.resource.Quantity"
        or "k8s.io.apimachinery.pkg.runtime.RawExtension";

    /// <summary>Converts one special message; <paramref name="embedded"/> decodes a nested <c>k8s\0</c> envelope.</summary>
    public static JsonNode? Convert(string fullName, ByteString bytes, Func<ByteString, JsonNode?> embedded) => fullName switch
    {
        Meta + "Time" => bytes.IsEmpty ? null : Time(ReadFields(bytes).Int(1), 0, "yyyy-MM-dd'T'HH:mm:ss'Z'"),
        Meta + "MicroTime" => bytes.IsEmpty ? null : MicroTime(ReadFields(bytes)),
        Meta + "Duration" => GoDuration.Format(ReadFields(bytes).Int(1)),
        Meta + "FieldsV1" => Json(ReadFields(bytes).Bytes(1)),
        "k8s.io.apimachinery.pkg.util.intstr.IntOrString" => IntOrString(ReadFields(bytes)),
        "k8s.io.apimachinery.pkg.api.resource.Quantity" => Quantity(ReadFields(bytes)),
        _ => RawExtension(ReadFields(bytes).Bytes(1), embedded),
    };

    private static JsonNode MicroTime(WireFields fields)
    {
        var nanos = fields.Int(2);
        if (nanos is < 0 or > 999_999_999)
        {
            throw new ProtobufDecodeException($"MicroTime nanos {nanos} is out of range");
        }
        return Time(fields.Int(1), nanos / 1000, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
    }

    private static JsonNode Time(long seconds, long micros, string format)
    {
        // Go's JSON for Time covers years 0000-9999; .NET covers 0001-9999, which every real timestamp fits.
        if (seconds is < -62135596800 or > 253402300799)
        {
            throw new ProtobufDecodeException($"timestamp {seconds} is outside years 1-9999");
        }
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10).UtcDateTime;
        return JsonValue.Create(time.ToString(format, CultureInfo.InvariantCulture));
    }

    private static JsonNode IntOrString(WireFields fields) => fields.Int(1) switch
    {
        0 => JsonValue.Create((int)fields.Int(2)),
        1 => JsonValue.Create(fields.String(3)),
        var other => throw new ProtobufDecodeException($"IntOrString type {other} is neither 0 (int) nor 1 (string)"),
    };

    /// <summary>A Quantity travels as its canonical string; an empty one is Go's zero Quantity, "0".</summary>
    private static JsonNode Quantity(WireFields fields) => JsonValue.Create(fields.String(1) is { Length: > 0 } s ? s : "0");

    private static JsonNode? RawExtension(ByteString raw, Func<ByteString, JsonNode?> embedded) =>
        ProtobufEnvelope.HasMagic(raw.Span) ? embedded(raw) : Json(raw);

    /// <summary>Embedded JSON bytes (Go passes them through verbatim); empty is null.</summary>
    private static JsonNode? Json(ByteString raw) => raw.IsEmpty ? null : JsonNode.Parse(raw.Span);

    private static WireFields ReadFields(ByteString bytes) => WireFields.Read(bytes);
}

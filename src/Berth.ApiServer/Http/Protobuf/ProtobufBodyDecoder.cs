using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Google.Protobuf;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// Decodes an <c>application/vnd.kubernetes.protobuf</c> request body (imperative <c>kubectl create &lt;kind&gt;</c>, typed
/// client-go writes) into the JSON object the registry works on. Every failure is a 400 BadRequest: a missing magic,
/// malformed wire data, a kind without a schema, invalid embedded JSON. Thread-safe.
/// Mirrors k8s.io/apimachinery pkg/runtime/serializer/protobuf/protobuf.go (Serializer.Decode).
/// </summary>
internal static class ProtobufBodyDecoder
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly Lazy<ProtobufJsonReader> Reader = new(() => new ProtobufJsonReader(KubernetesProtobufSchema.Instance));

    /// <summary>Decodes with the embedded schema.</summary>
    public static JsonObject Decode(ReadOnlyMemory<byte> body) => Decode(body, Reader.Value);

    public static JsonObject Decode(ReadOnlyMemory<byte> body, ProtobufJsonReader reader)
    {
        if (body.IsEmpty)
        {
            throw ApiErrors.BadRequest("the request body is empty");
        }
        try
        {
            var envelope = ProtobufEnvelope.Read(body.Span);
            return envelope is { ApiVersion: TokenRequestProtobuf.ApiVersion, Kind: TokenRequestProtobuf.Kind }
                ? TokenRequestProtobuf.Read(envelope.Raw)
                : reader.ReadObject(envelope);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ProtobufDecodeException or FormatException or JsonException)
        {
            throw ApiErrors.BadRequest($"the protobuf request body could not be decoded: {e.Message}");
        }
    }
}

using Berth.ApiServer.Http.Protobuf;
using Berth.Machinery.Errors;
using static Berth.UnitTests.ApiServer.Protobuf.ProtoBuilder;

namespace Berth.UnitTests.ApiServer.Protobuf;

/// <summary>Every malformed protobuf body is a 400 BadRequest, never a 500.</summary>
public sealed class ProtobufMalformedBodyTests
{
    private static ApiException Reject(byte[] body) => Assert.Throws<ApiException>(() => ProtobufBodyDecoder.Decode(body));

    private static void AssertBadRequest(byte[] body, string messagePart)
    {
        var error = Reject(body);
        Assert.Equal(400, error.Code);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WrongMagic_IsBadRequest() =>
        AssertBadRequest([.. "k9s\0"u8, 0x0A, 0x00], "magic");

    [Fact]
    public void Decode_EmptyBody_IsBadRequest() => AssertBadRequest([], "empty");

    [Fact]
    public void Decode_TruncatedVarint_IsBadRequest()
    {
        // Inside the ConfigMap: field 5 (immutable, varint) whose varint never ends.
        var body = Core("ConfigMap").Raw(0x28, 0xFF, 0xFF).Envelope("v1", "ConfigMap");
        AssertBadRequest(body, "could not be decoded");
    }

    [Fact]
    public void Decode_TruncatedEnvelope_IsBadRequest()
    {
        var body = Core("ConfigMap").Msg("metadata", Meta("ObjectMeta").Str("name", "c")).Envelope("v1", "ConfigMap");
        AssertBadRequest(body[..^3], "could not be decoded");
    }

    [Fact]
    public void Decode_UnknownKind_IsBadRequestNamingIt() =>
        AssertBadRequest(Core("ConfigMap").Envelope("example.com/v1", "Widget"), "no protobuf schema for kind \"Widget\" in version \"example.com/v1\"");

    [Fact]
    public void Decode_WrongWireTypeForField_IsBadRequest()
    {
        // ObjectMeta.name (field 1) sent as a varint.
        var body = Core("ConfigMap").Msg("metadata", Meta("ObjectMeta").Raw(0x08, 0x01)).Envelope("v1", "ConfigMap");
        AssertBadRequest(body, "wire type");
    }

    [Fact]
    public void Decode_InvalidRawExtensionJson_IsBadRequest()
    {
        var body = For("k8s.io.api.apps.v1.ControllerRevision")
            .Msg("data", For("k8s.io.apimachinery.pkg.runtime.RawExtension").Bytes("raw", "{not json"u8.ToArray())).Envelope("apps/v1", "ControllerRevision");
        AssertBadRequest(body, "could not be decoded");
    }

    [Fact]
    public void Decode_IntOrStringWithUnknownType_IsBadRequest()
    {
        var spec = For("k8s.io.api.policy.v1.PodDisruptionBudgetSpec")
            .Msg("minAvailable", For("k8s.io.apimachinery.pkg.util.intstr.IntOrString").Int("type", 7));
        AssertBadRequest(For("k8s.io.api.policy.v1.PodDisruptionBudget").Msg("spec", spec).Envelope("policy/v1", "PodDisruptionBudget"), "IntOrString");
    }

    [Fact]
    public void Decode_ContentEncoding_IsBadRequest()
    {
        var unknown = For("k8s.io.apimachinery.pkg.runtime.Unknown")
            .Msg("typeMeta", For("k8s.io.apimachinery.pkg.runtime.TypeMeta").Str("apiVersion", "v1").Str("kind", "ConfigMap"))
            .Str("contentEncoding", "gzip");
        AssertBadRequest([.. "k8s\0"u8, .. unknown.ToByteString().Span], "content encoding");
    }

    [Fact]
    public void Decode_EnvelopesNestedTooDeep_IsBadRequest()
    {
        // A ControllerRevision whose data is itself an enveloped ControllerRevision, 80 levels deep.
        var body = For("k8s.io.api.apps.v1.ControllerRevision").Envelope("apps/v1", "ControllerRevision");
        for (var i = 0; i < 80; i++)
        {
            body = For("k8s.io.api.apps.v1.ControllerRevision")
                .Msg("data", For("k8s.io.apimachinery.pkg.runtime.RawExtension").Bytes("raw", body)).Envelope("apps/v1", "ControllerRevision");
        }
        AssertBadRequest(body, "nests deeper");
    }
}

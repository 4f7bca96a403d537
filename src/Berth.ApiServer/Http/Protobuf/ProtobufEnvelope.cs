using Google.Protobuf;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// The Kubernetes protobuf envelope: the 4-byte magic <c>k8s\0</c> followed by a <c>runtime.Unknown</c>
/// {1: typeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType} whose <c>raw</c> is the encoded object.
/// Mirrors k8s.io/apimachinery pkg/runtime/serializer/protobuf/protobuf.go (Serializer.Decode) and pkg/runtime/types_proto.go.
/// </summary>
internal sealed record ProtobufEnvelope(string ApiVersion, string Kind, ByteString Raw, string ContentEncoding, string ContentType)
{
    /// <summary>The magic prefix every Kubernetes protobuf body starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>True when <paramref name="body"/> starts with <see cref="Magic"/>.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> body) => body.StartsWith(Magic);

    /// <summary>
    /// Reads the envelope. Throws <see cref="InvalidProtocolBufferException"/> for malformed wire data and
    /// <see cref="FormatException"/> when the magic is missing; unknown Unknown fields are skipped.
    /// </summary>
    public static ProtobufEnvelope Read(ReadOnlySpan<byte> body)
    {
        if (!HasMagic(body))
        {
            throw new FormatException("the body does not start with the Kubernetes protobuf magic \"k8s\\x00\"");
        }
        var input = new CodedInputStream(body[Magic.Length..].ToArray());
        var (apiVersion, kind, raw, encoding, contentType) = ("", "", ByteString.Empty, "", "");
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10: (apiVersion, kind) = ReadTypeMeta(input.ReadBytes()); break;
                case 18: raw = input.ReadBytes(); break;
                case 26: encoding = input.ReadString(); break;
                case 34: contentType = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new ProtobufEnvelope(apiVersion, kind, raw, encoding, contentType);
    }

    private static (string ApiVersion, string Kind) ReadTypeMeta(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var (apiVersion, kind) = ("", "");
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10: apiVersion = input.ReadString(); break;
                case 18: kind = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (apiVersion, kind);
    }
}

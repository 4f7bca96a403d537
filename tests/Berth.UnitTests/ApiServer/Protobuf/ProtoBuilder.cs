using Berth.ApiServer.Http.Protobuf;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Berth.UnitTests.ApiServer.Protobuf;

/// <summary>
/// Test-side encoder: writes one message field by field with <see cref="CodedOutputStream"/>, looking field numbers up in
/// the embedded descriptors (so a renamed or renumbered field fails the test instead of encoding garbage). Fields are
/// written in call order, like gogo's marshaller writes them in number order.
/// </summary>
internal sealed class ProtoBuilder(MessageDescriptor descriptor)
{
    private readonly MemoryStream _buffer = new();

    public static ProtoBuilder For(string fullName) =>
        new(KubernetesProtobufSchema.Instance.FindMessage(fullName) ?? throw new ArgumentException($"no message {fullName}"));

    public static ProtoBuilder Meta(string name) => For("k8s.io.apimachinery.pkg.apis.meta.v1." + name);

    public static ProtoBuilder Core(string name) => For("k8s.io.api.core.v1." + name);

    public ProtoBuilder Str(string field, string value) => Write(field, WireFormat.WireType.LengthDelimited, o => o.WriteString(value));

    public ProtoBuilder Int(string field, long value) => Write(field, WireFormat.WireType.Varint, o => o.WriteInt64(value));

    public ProtoBuilder Bool(string field, bool value) => Write(field, WireFormat.WireType.Varint, o => o.WriteBool(value));

    public ProtoBuilder Bytes(string field, byte[] value) =>
        Write(field, WireFormat.WireType.LengthDelimited, o => o.WriteBytes(ByteString.CopyFrom(value)));

    public ProtoBuilder Msg(string field, ProtoBuilder value) =>
        Write(field, WireFormat.WireType.LengthDelimited, o => o.WriteBytes(value.ToByteString()));

    /// <summary>Appends one map entry; <paramref name="value"/> writes the entry's field 2.</summary>
    public ProtoBuilder Entry(string field, string key, Action<ProtoBuilder> value)
    {
        var entry = new ProtoBuilder(Field(field).MessageType).Str("key", key);
        value(entry);
        return Msg(field, entry);
    }

    public ProtoBuilder Entry(string field, string key, string value) => Entry(field, key, e => e.Str("value", value));

    /// <summary>Raw bytes appended as they are (for unknown or malformed fields).</summary>
    public ProtoBuilder Raw(params byte[] bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public ByteString ToByteString() => ByteString.CopyFrom(_buffer.ToArray());

    /// <summary>The <c>k8s\0</c> + runtime.Unknown envelope around this message.</summary>
    public byte[] Envelope(string apiVersion, string kind)
    {
        var typeMeta = For("k8s.io.apimachinery.pkg.runtime.TypeMeta").Str("apiVersion", apiVersion).Str("kind", kind);
        var unknown = For("k8s.io.apimachinery.pkg.runtime.Unknown").Msg("typeMeta", typeMeta)
            .Write("raw", WireFormat.WireType.LengthDelimited, o => o.WriteBytes(ToByteString()))
            .Str("contentEncoding", "").Str("contentType", "");
        return [.. "k8s\0"u8, .. unknown.ToByteString().Span];
    }

    private FieldDescriptor Field(string name) =>
        descriptor.FindFieldByName(name) ?? throw new ArgumentException($"{descriptor.FullName} has no field {name}");

    private ProtoBuilder Write(string field, WireFormat.WireType wireType, Action<CodedOutputStream> write)
    {
        var output = new CodedOutputStream(_buffer, leaveOpen: true);
        output.WriteTag(Field(field).FieldNumber, wireType);
        write(output);
        output.Flush();
        return this;
    }
}

using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// Converts Kubernetes protobuf messages into the JSON that Go's encoding/json would produce for the same object, driven by
/// the message descriptors and the per-field Go facts of <see cref="KubernetesProtobufSchema"/>: zero scalars are omitted
/// (omitempty) unless the Go field is a pointer or has no omitempty; messages on the wire are always emitted; embedded
/// structs are inlined; maps become objects and bytes become base64. Unknown fields are skipped, as upstream's decoder does.
/// Stateless apart from the schema; safe to share between threads.
/// Mirrors k8s.io/apimachinery pkg/runtime/serializer/protobuf (Unmarshal into the Go type) followed by encoding/json.
/// </summary>
internal sealed class ProtobufJsonReader(KubernetesProtobufSchema schema)
{
    /// <summary>Nesting limit for messages and embedded envelopes (Kubernetes objects nest about a dozen deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Decodes an envelope's object: <c>apiVersion</c> and <c>kind</c> come from the envelope's typeMeta (the encoded object
    /// has an empty TypeMeta), followed by the object's fields.
    /// </summary>
    public JsonObject ReadObject(ProtobufEnvelope envelope, int depth = 0)
    {
        if (envelope.ContentEncoding.Length > 0)
        {
            throw new ProtobufDecodeException($"content encoding \"{envelope.ContentEncoding}\" is not supported");
        }
        var decoded = envelope.ContentType switch
        {
            "" or "application/vnd.kubernetes.protobuf" => ReadMessage(FindKind(envelope), envelope.Raw, depth),
            "application/json" => JsonNode.Parse(envelope.Raw.Span) as JsonObject
                ?? throw new ProtobufDecodeException("the embedded JSON object is not an object"),
            var other => throw new ProtobufDecodeException($"embedded content type \"{other}\" is not supported"),
        };
        var result = new JsonObject { ["apiVersion"] = envelope.ApiVersion, ["kind"] = envelope.Kind };
        ProtobufJsonMerge.MoveInto(result, decoded);
        return result;
    }

    /// <summary>Decodes one message's wire bytes into a JSON object.</summary>
    public JsonObject ReadMessage(MessageDescriptor descriptor, ByteString bytes, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtobufDecodeException($"the object nests deeper than {MaxDepth} messages");
        }
        var obj = new JsonObject();
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag)) is { } field)
            {
                ReadField(obj, field, WireFormat.GetTagWireType(tag), input, depth);
            }
            else
            {
                input.SkipLastField();
            }
        }
        return obj;
    }

    private MessageDescriptor FindKind(ProtobufEnvelope envelope) => schema.FindKind(envelope.ApiVersion, envelope.Kind)
        ?? throw new ProtobufDecodeException(
            $"no protobuf schema for kind \"{envelope.Kind}\" in version \"{envelope.ApiVersion}\"; send it as application/json instead");

    private void ReadField(JsonObject obj, FieldDescriptor field, WireFormat.WireType wireType, CodedInputStream input, int depth)
    {
        var facts = schema.Facts(field);
        if (facts.JsonName == "-")
        {
            input.SkipLastField();
            return;
        }
        var name = facts.JsonName ?? field.Name;
        if (field.IsMap)
        {
            var (key, value) = ReadMapEntry(field.MessageType, ReadLengthDelimited(field, wireType, input), depth + 1);
            ProtobufJsonMerge.Child(obj, name, () => new JsonObject())[key] = value;
        }
        else if (field.IsRepeated)
        {
            ReadRepeated(ProtobufJsonMerge.Child(obj, name, () => new JsonArray()), field, wireType, input, depth);
        }
        else if (field.FieldType == FieldType.Message)
        {
            var value = ReadMessageValue(field.MessageType, ReadLengthDelimited(field, wireType, input), depth + 1);
            ProtobufJsonMerge.SetMessage(obj, name, value, facts.Inline);
        }
        else
        {
            ProtobufWireValues.ExpectWireType(field, wireType);
            var value = ProtobufWireValues.ReadScalar(field, input);
            ProtobufJsonMerge.SetScalar(obj, name, value, facts.KeepsZero);
        }
    }

    private void ReadRepeated(JsonArray array, FieldDescriptor field, WireFormat.WireType wireType, CodedInputStream input, int depth)
    {
        if (field.FieldType == FieldType.Message)
        {
            array.Add(ReadMessageValue(field.MessageType, ReadLengthDelimited(field, wireType, input), depth + 1));
        }
        else if (wireType == WireFormat.WireType.LengthDelimited && ProtobufWireValues.IsPackable(field))
        {
            var packed = input.ReadBytes().CreateCodedInput();
            while (!packed.IsAtEnd)
            {
                array.Add(ProtobufWireValues.ReadScalar(field, packed));
            }
        }
        else
        {
            ProtobufWireValues.ExpectWireType(field, wireType);
            array.Add(ProtobufWireValues.ReadScalar(field, input));
        }
    }

    /// <summary>A map entry {1: key, 2: value}; a missing key or value is its type's zero value, as in Go.</summary>
    private (string Key, JsonNode? Value) ReadMapEntry(MessageDescriptor entry, ByteString bytes, int depth)
    {
        var keyField = entry.FindFieldByNumber(1);
        var valueField = entry.FindFieldByNumber(2);
        string key = "";
        JsonNode? value = null;
        var valueSeen = false;
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var wireType = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    ProtobufWireValues.ExpectWireType(keyField, wireType);
                    key = ProtobufWireValues.ReadScalar(keyField, input)?.ToString() ?? "";
                    break;
                case 2:
                    value = ReadMapValue(valueField, wireType, input, depth);
                    valueSeen = true;
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (key, valueSeen ? value : ZeroMapValue(valueField, depth));
    }

    private JsonNode? ReadMapValue(FieldDescriptor valueField, WireFormat.WireType wireType, CodedInputStream input, int depth)
    {
        if (valueField.FieldType == FieldType.Message)
        {
            return ReadMessageValue(valueField.MessageType, ReadLengthDelimited(valueField, wireType, input), depth + 1);
        }
        ProtobufWireValues.ExpectWireType(valueField, wireType);
        return ProtobufWireValues.ReadScalar(valueField, input);
    }

    private JsonNode? ZeroMapValue(FieldDescriptor valueField, int depth) => valueField.FieldType == FieldType.Message
        ? ReadMessageValue(valueField.MessageType, ByteString.Empty, depth + 1)
        : ProtobufWireValues.Zero(valueField);

    private JsonNode? ReadMessageValue(MessageDescriptor descriptor, ByteString bytes, int depth) =>
        ProtobufSpecialTypes.IsSpecial(descriptor.FullName)
            ? ProtobufSpecialTypes.Convert(descriptor.FullName, bytes, raw => ReadObject(ProtobufEnvelope.Read(raw.Span), depth + 1))
            : ReadMessage(descriptor, bytes, depth);

    private static ByteString ReadLengthDelimited(FieldDescriptor field, WireFormat.WireType wireType, CodedInputStream input)
    {
        ProtobufWireValues.ExpectWireType(field, wireType);
        return input.ReadBytes();
    }
}

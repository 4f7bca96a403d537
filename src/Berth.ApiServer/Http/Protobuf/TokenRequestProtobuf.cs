using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// Decodes the <c>raw</c> of an authentication.k8s.io/v1 TokenRequest envelope (what <c>kubectl create token</c> and
/// client-go's typed <c>CreateToken</c> send) into its JSON form: metadata {1 name, 3 namespace}, spec {1 audiences,
/// 3 boundObjectRef {1 kind, 2 apiVersion, 3 name, 4 uid}, 4 expirationSeconds}; status is ignored (the server
/// fills it). The embedded schema set (kubernetes.protoset) covers only the stored kinds, so this one request type is
/// read by hand. Throws <see cref="InvalidProtocolBufferException"/> for malformed wire data. Pure.
/// </summary>
/// <remarks>Mirrors the field numbers of k8s.io/api authentication/v1 generated.proto (TokenRequest, TokenRequestSpec, BoundObjectReference).</remarks>
internal static class TokenRequestProtobuf
{
    public const string ApiVersion = "authentication.k8s.io/v1";
    public const string Kind = "TokenRequest";

    public static JsonObject Read(ByteString raw)
    {
        var result = new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind };
        var input = raw.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10: result["metadata"] = ReadMeta(input.ReadBytes()); break;
                case 18: result["spec"] = ReadSpec(input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        }
        return result;
    }

    private static JsonObject ReadMeta(ByteString bytes)
    {
        var meta = new JsonObject();
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10: SetNonEmpty(meta, "name", input.ReadString()); break;
                case 26: SetNonEmpty(meta, "namespace", input.ReadString()); break;
                default: input.SkipLastField(); break;
            }
        }
        return meta;
    }

    private static JsonObject ReadSpec(ByteString bytes)
    {
        var spec = new JsonObject();
        var audiences = new JsonArray();
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10: audiences.Add(input.ReadString()); break;
                case 26: spec["boundObjectRef"] = ReadReference(input.ReadBytes()); break;
                case 32: spec["expirationSeconds"] = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (audiences.Count > 0)
        {
            spec["audiences"] = audiences;
        }
        return spec;
    }

    private static JsonObject ReadReference(ByteString bytes)
    {
        var reference = new JsonObject();
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10: SetNonEmpty(reference, "kind", input.ReadString()); break;
                case 18: SetNonEmpty(reference, "apiVersion", input.ReadString()); break;
                case 26: SetNonEmpty(reference, "name", input.ReadString()); break;
                case 34: SetNonEmpty(reference, "uid", input.ReadString()); break;
                default: input.SkipLastField(); break;
            }
        }
        return reference;
    }

    private static void SetNonEmpty(JsonObject obj, string key, string value)
    {
        if (value.Length > 0)
        {
            obj[key] = value;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer.Discovery;
using Google.Protobuf;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// The <c>/openapi/v2</c> document: Swagger 2.0 with the server's title and version and no paths or definitions, as
/// JSON or as the gnostic <c>openapi.v2.Document</c> protobuf that kubectl requests. Mirrors the document kube-apiserver
/// serves there (kube-openapi <c>handler.go</c>), without its schemas.
/// </summary>
/// <remarks>
/// kubectl reads v2 in two places. Client-side schema validation under the default <c>--validate=strict</c> runs only
/// for a manifest of kind <c>List</c>: cli-runtime's query-parameter check reports <c>v1/List</c> as not supporting
/// server-side field validation, so kubectl validates the items against v2 and fails when it cannot download it. With
/// no definitions it finds no schema for an item and skips it; each item is still created with
/// <c>fieldValidation=Strict</c> and validated by the server. Client-side apply and edit look up patch metadata in v2
/// and, finding none, use kubectl's compiled-in types, as they did while v2 was a 404 (kubectl-wire §4). The documents
/// are built once; they are immutable.
/// </remarks>
internal static class OpenApiV2Document
{
    /// <summary>The protobuf media type kubectl sends in <c>Accept</c> (kubectl-wire §4); its <c>@</c> is not valid in a
    /// <c>Content-Type</c>, which Go's parser rejects, so replies use <see cref="ProtobufContentType"/>.</summary>
    public const string ProtobufAcceptType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>The protobuf media type of the reply, and also accepted in <c>Accept</c> (as kube-openapi does).</summary>
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private const string Title = "Kubernetes";

    /// <summary>The JSON form.</summary>
    public static byte[] Json { get; } = Encoding.UTF8.GetBytes(new JsonObject
    {
        ["swagger"] = "2.0",
        ["info"] = new JsonObject { ["title"] = Title, ["version"] = ServerVersion.GitVersion },
        ["paths"] = new JsonObject(),
    }.ToJsonString());

    /// <summary>The protobuf form: <c>Document{swagger = 1, info = 2 {title = 1, version = 2}, paths = 8 {}}</c>.</summary>
    public static byte[] Protobuf { get; } = BuildProtobuf();

    private static byte[] BuildProtobuf()
    {
        using var info = new MemoryStream();
        using (var output = new CodedOutputStream(info, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(Title);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(ServerVersion.GitVersion);
        }
        using var document = new MemoryStream();
        using (var output = new CodedOutputStream(document, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString("2.0");
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(info.ToArray()));
            output.WriteTag(8, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.Empty);
        }
        return document.ToArray();
    }
}

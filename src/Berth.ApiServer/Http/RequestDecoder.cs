using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Berth.ApiServer.Http.Protobuf;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Yaml;
using Berth.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.ApiServer.Http;

/// <summary>
/// Decodes request bodies by <c>Content-Type</c>: JSON or YAML objects for POST/PUT, the four patch types for PATCH,
/// optional DeleteOptions for DELETE. Kubernetes protobuf (sent by imperative <c>kubectl create &lt;kind&gt;</c> and typed
/// clients) is decoded for the kinds in the embedded schema (<see cref="ProtobufBodyDecoder"/>); patches stay JSON/YAML;
/// unknown types are 415, never parsed. Duplicate fields follow fieldValidation (400 for Strict, a warning for Warn).
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers (negotiateInputSerializer, patch content types).
/// </summary>
internal static class RequestDecoder
{
    /// <summary>A decoded object body and the warnings its decoding produced.</summary>
    public sealed record DecodedObject(JsonObject Object, IReadOnlyList<string> Warnings);

    public static async Task<DecodedObject> ReadObjectAsync(HttpRequest request, ResourceKind kind, FieldValidation mode,
        CancellationToken cancellationToken)
    {
        var contentType = ObjectContentType(request);
        var yaml = contentType switch
        {
            "application/json" or ProtobufBodyDecoder.MediaType => false,
            "application/yaml" => true,
            var other => throw ApiErrors.UnsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, " +
                $"application/vnd.kubernetes.protobuf (got \"{other}\")"),
        };
        var body = await RequestBodyReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (contentType == ProtobufBodyDecoder.MediaType)
        {
            return new DecodedObject(ProtobufBodyDecoder.Decode(body), []);
        }
        var (node, duplicates) = Decode(body, yaml);
        var obj = node as JsonObject ?? throw ApiErrors.BadRequest($"the request body must be a {kind.Kind} object (a JSON or YAML mapping)");
        return new DecodedObject(obj, DuplicateWarnings(kind, duplicates, mode));
    }

    /// <summary>The patch type from <c>Content-Type</c> and the parsed patch document.</summary>
    public static async Task<(PatchType Type, JsonNode Patch, IReadOnlyList<string> Warnings)> ReadPatchAsync(HttpRequest request,
        ResourceKind kind, FieldValidation mode, CancellationToken cancellationToken)
    {
        var type = MediaType(request) switch
        {
            "application/json-patch+json" => PatchType.Json,
            "application/merge-patch+json" => PatchType.Merge,
            "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
            "application/apply-patch+yaml" => PatchType.Apply,
            var other => throw ApiErrors.UnsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, " +
                $"application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got \"{other}\")"),
        };
        var body = await RequestBodyReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        var (node, duplicates) = Decode(body, type == PatchType.Apply);
        var patch = node ?? throw ApiErrors.BadRequest("the patch is empty or null");
        return (type, patch, DuplicateWarnings(kind, duplicates, mode));
    }

    /// <summary>A DELETE body (DeleteOptions), or null when there is none.</summary>
    public static async Task<JsonObject?> ReadOptionalObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodyReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.IsEmpty)
        {
            return null;
        }
        var contentType = ObjectContentType(request);
        if (contentType == ProtobufBodyDecoder.MediaType)
        {
            return ProtobufBodyDecoder.Decode(body);
        }
        var yaml = contentType == "application/yaml";
        return Decode(body, yaml).Node as JsonObject ?? throw ApiErrors.BadRequest("the request body must be a DeleteOptions object");
    }

    private static (JsonNode? Node, IReadOnlyList<string> Duplicates) Decode(ReadOnlyMemory<byte> body, bool yaml)
    {
        if (body.IsEmpty)
        {
            throw ApiErrors.BadRequest("the request body is empty");
        }
        if (!Utf8.IsValid(body.Span))
        {
            // Checked up front: invalid UTF-8 stored in a string would fail every later read of the object.
            throw ApiErrors.BadRequest("the request body is not valid UTF-8");
        }
        return yaml ? (YamlToJson.Convert(Encoding.UTF8.GetString(body.Span)), []) : JsonBodyParser.Parse(body);
    }

    private static IReadOnlyList<string> DuplicateWarnings(ResourceKind kind, IReadOnlyList<string> duplicates, FieldValidation mode)
    {
        if (duplicates.Count == 0 || mode == FieldValidation.Ignore)
        {
            return [];
        }
        var messages = duplicates.Select(d => $"duplicate field \"{d}\"").ToList();
        if (mode == FieldValidation.Strict)
        {
            throw ApiErrors.BadRequest(
                $"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: strict decoding error: {string.Join(", ", messages)}");
        }
        return messages;
    }

    /// <summary>The media type for object bodies; a missing Content-Type means JSON (upstream matches "*/*" to JSON).</summary>
    private static string ObjectContentType(HttpRequest request) => MediaType(request) switch
    {
        "" or "*/*" or "application/json" => "application/json",
        "application/yaml" or "application/x-yaml" or "text/yaml" => "application/yaml",
        var other => other,
    };

    private static string MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() ?? "" : (request.ContentType ?? "").Trim();
}

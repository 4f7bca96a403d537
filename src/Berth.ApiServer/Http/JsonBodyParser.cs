using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.ApiServer.Http;

/// <summary>
/// Parses a JSON request body. Malformed JSON is 400. Duplicate member names are resolved as Go's decoder does
/// (the last one wins) and reported by path (<c>spec.replicas</c>) so that fieldValidation can reject or warn.
/// The common case (no duplicates) is a single <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/>.
/// </summary>
internal static class JsonBodyParser
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 128 };
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 128 };

    /// <summary>The parsed body and the paths of duplicated fields (empty in the common case).</summary>
    public static (JsonNode? Node, IReadOnlyList<string> Duplicates) Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return (JsonNode.Parse(body.Span, documentOptions: Strict), []);
        }
        catch (JsonException first)
        {
            return ParseWithDuplicates(body, first);
        }
    }

    private static (JsonNode? Node, IReadOnlyList<string> Duplicates) ParseWithDuplicates(ReadOnlyMemory<byte> body, JsonException first)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Lenient);
        }
        catch (JsonException)
        {
            throw ApiErrors.BadRequest($"the request body is not valid JSON: {first.Message}");
        }
        using (document)
        {
            var duplicates = new List<string>();
            var node = Convert(document.RootElement, "", duplicates);
            return (node, duplicates);
        }
    }

    /// <summary>Builds an independent node tree (last duplicate wins), recording duplicate paths.</summary>
    private static JsonNode? Convert(JsonElement element, string path, List<string> duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : path + "." + property.Name;
                    if (obj.ContainsKey(property.Name))
                    {
                        duplicates.Add(childPath);
                    }
                    obj[property.Name] = Convert(property.Value, childPath, duplicates);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(item, path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]", duplicates));
                }
                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonNode.Parse(element.GetRawText());
        }
    }
}

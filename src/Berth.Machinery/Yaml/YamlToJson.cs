using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Machinery.Yaml;

/// <summary>
/// Converts one YAML document (an apply body from a non-kubectl client, <c>application/apply-patch+yaml</c>) to
/// <see cref="JsonNode"/>. Plain scalars resolve by the YAML 1.2 core schema (null, booleans, integers, floats);
/// quoted and block scalars stay strings; explicit <c>!!str</c>/<c>!!int</c>/<c>!!float</c>/<c>!!bool</c>/<c>!!null</c>
/// tags are honoured. JSON is valid YAML, so kubectl's JSON bodies convert unchanged.
/// Never throws anything but a 400 <see cref="ApiException"/>: malformed YAML, several documents, non-scalar or
/// duplicate mapping keys, nesting deeper than <see cref="MaxDepth"/>, or alias expansion beyond
/// <see cref="MaxNodes"/> nodes (a "billion laughs" guard). Pure and thread-safe.
/// Plays the role of sigs.k8s.io/yaml YAMLToJSON (which resolves YAML 1.1; so <c>yes</c>/<c>on</c> stay strings here).
/// </summary>
public static class YamlToJson
{
    public const int MaxDepth = 128;

    public const int MaxNodes = 250_000;

    /// <summary>The document as JSON, or null when the input holds no document (empty or only comments).</summary>
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (Exception e) when (e is YamlException or ArgumentException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest("error converting YAML to JSON: " + e.Message);
        }
        return stream.Documents.Count switch
        {
            0 => null,
            1 => new Converter().Node(stream.Documents[0].RootNode, 0),
            _ => throw ApiErrors.BadRequest($"error converting YAML to JSON: expected one document, found {stream.Documents.Count}"),
        };
    }

    /// <summary>One conversion; counts nodes so aliases cannot expand without bound.</summary>
    private sealed class Converter
    {
        private int _nodes;

        public JsonNode? Node(YamlNode node, int depth)
        {
            if (++_nodes > MaxNodes || depth > MaxDepth)
            {
                throw ApiErrors.BadRequest("error converting YAML to JSON: document too large or too deeply nested");
            }
            return node switch
            {
                YamlScalarNode scalar => YamlScalars.ToJson(scalar),
                YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(c => Node(c, depth + 1))]),
                YamlMappingNode mapping => Mapping(mapping, depth),
                _ => throw ApiErrors.BadRequest("error converting YAML to JSON: unsupported node " + node.NodeType),
            };
        }

        private JsonObject Mapping(YamlMappingNode mapping, int depth)
        {
            var obj = new JsonObject();
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    throw ApiErrors.BadRequest("error converting YAML to JSON: mapping keys must be scalars");
                }
                if (obj.ContainsKey(key))
                {
                    throw ApiErrors.BadRequest($"error converting YAML to JSON: duplicate key \"{key}\"");
                }
                obj[key] = Node(valueNode, depth + 1);
            }
            return obj;
        }
    }
}

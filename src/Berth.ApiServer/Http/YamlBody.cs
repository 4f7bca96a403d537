using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.ApiServer.Http;

/// <summary>
/// Converts a YAML request body (<c>application/yaml</c>, <c>application/apply-patch+yaml</c>) to JSON with the scalar
/// resolution Kubernetes gets from sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 core): plain <c>true/false/yes/no/on/off</c>
/// are booleans, plain numbers are numbers, <c>null</c>/<c>~</c>/empty are null, quoted scalars are strings.
/// Only the first document is used. Malformed YAML is 400.
/// </summary>
internal static class YamlBody
{
    private static readonly HashSet<string> TrueWords = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];
    private static readonly HashSet<string> FalseWords = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"];
    private static readonly HashSet<string> NullWords = ["", "~", "null", "Null", "NULL"];

    public static JsonNode? ToJson(ReadOnlyMemory<byte> body)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(Encoding.UTF8.GetString(body.Span)));
        }
        catch (YamlException e)
        {
            throw ApiErrors.BadRequest($"the request body is not valid YAML: {e.Message}");
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMapping(map),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw ApiErrors.BadRequest("the request body uses a YAML construct that is not supported (aliases to unknown nodes)"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode s ? s.Value ?? "" : throw ApiErrors.BadRequest("YAML mapping keys must be scalars");
            obj[name] = Convert(value);
        }
        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }
        if (NullWords.Contains(text))
        {
            return null;
        }
        if (TrueWords.Contains(text) || FalseWords.Contains(text))
        {
            return JsonValue.Create(TrueWords.Contains(text));
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(text);
    }

    /// <summary>YAML floats need a digit and a dot or exponent (so "1e3" and "2.5" qualify, "Infinity" does not).</summary>
    private static bool LooksLikeFloat(string text) =>
        text.Any(char.IsAsciiDigit) && text.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-') &&
        (text.Contains('.') || text.Contains('e') || text.Contains('E'));
}

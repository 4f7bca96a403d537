using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Machinery.Yaml;

/// <summary>Resolves a YAML scalar to a JSON value by its tag, or for plain scalars by the YAML 1.2 core schema.</summary>
internal static class YamlScalars
{
    public static JsonNode? ToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        return tag switch
        {
            "tag:yaml.org,2002:str" => JsonValue.Create(text),
            "tag:yaml.org,2002:null" => null,
            "tag:yaml.org,2002:bool" => Bool(text) ?? throw Invalid(text, "bool"),
            "tag:yaml.org,2002:int" => Integer(text) ?? throw Invalid(text, "int"),
            "tag:yaml.org,2002:float" => Float(text) ?? Integer(text) ?? throw Invalid(text, "float"),
            _ when scalar.Style != ScalarStyle.Plain || tag is not null => JsonValue.Create(text),
            _ => Plain(text),
        };
    }

    private static JsonNode? Plain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        return Bool(text) ?? Integer(text) ?? Float(text) ?? JsonValue.Create(text);
    }

    private static JsonValue? Bool(string text) => text switch
    {
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ => null,
    };

    private static JsonValue? Integer(string text)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }
        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
        {
            try
            {
                return JsonValue.Create(System.Convert.ToInt64(text[2..], 8));
            }
            catch (OverflowException)
            {
                return null;
            }
        }
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? JsonValue.Create(value)
            : JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static JsonValue? Float(string text)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                throw ApiErrors.BadRequest($"error converting YAML to JSON: {text} cannot be represented in JSON");
        }
        var body = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        var looksNumeric = body.Length > 0 && (char.IsAsciiDigit(body[0]) || body[0] == '.')
            && body.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+')
            && body.Any(char.IsAsciiDigit);
        return looksNumeric && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? JsonValue.Create(value)
            : null;
    }

    private static ApiException Invalid(string text, string type) =>
        ApiErrors.BadRequest($"error converting YAML to JSON: cannot decode \"{text}\" as !!{type}");
}

using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Patching;

/// <summary>
/// An RFC 6901 JSON Pointer (<c>/spec/containers/0/image</c>), parsed into unescaped reference tokens
/// (<c>~1</c> → <c>/</c>, then <c>~0</c> → <c>~</c>). The empty pointer names the whole document. Immutable.
/// </summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, string[] tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    /// <summary>Parses <paramref name="text"/>; throws a 400 for a pointer without a leading slash or with a bad <c>~</c> escape.</summary>
    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }
        if (text[0] != '/')
        {
            throw ApiErrors.BadRequest($"invalid JSON pointer \"{text}\": must be empty or start with '/'");
        }
        var tokens = text[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = Unescape(text, tokens[i]);
        }
        return new JsonPointer(text, tokens);
    }

    /// <summary>True when this pointer is a proper prefix of <paramref name="other"/> (a value cannot move into itself).</summary>
    public bool IsProperPrefixOf(JsonPointer other) =>
        Tokens.Count < other.Tokens.Count && Tokens.SequenceEqual(other.Tokens.Take(Tokens.Count));

    /// <summary>The node this pointer names in <paramref name="document"/>; throws a 422 when a step is missing.</summary>
    public JsonNode? Resolve(JsonNode? document)
    {
        var current = document;
        foreach (var token in Tokens)
        {
            current = Step(current, token);
        }
        return current;
    }

    /// <summary>The container holding the last token: everything but the last step resolved.</summary>
    public JsonNode? ResolveParent(JsonNode? document)
    {
        var current = document;
        for (var i = 0; i < Tokens.Count - 1; i++)
        {
            current = Step(current, Tokens[i]);
        }
        return current;
    }

    public string LastToken => Tokens[^1];

    /// <summary>Parses an existing-element array index: decimal digits, no leading zero, below <paramref name="count"/>.</summary>
    public int ArrayIndex(string token, int count, bool allowEnd)
    {
        var valid = token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0');
        if (!valid || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw ApiErrors.UnprocessableEntity($"invalid array index \"{token}\" in path \"{Text}\"");
        }
        if (index > count || (index == count && !allowEnd))
        {
            throw ApiErrors.UnprocessableEntity($"array index {index} out of bounds (length {count}) in path \"{Text}\"");
        }
        return index;
    }

    public override string ToString() => Text;

    private JsonNode? Step(JsonNode? current, string token) => current switch
    {
        JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
        JsonArray array => array[ArrayIndex(token, array.Count, allowEnd: false)],
        _ => throw ApiErrors.UnprocessableEntity($"path \"{Text}\" not found: no \"{token}\" in {JsonMergePatch.KindOf(current)}"),
    };

    private static string Unescape(string text, string token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && (i + 1 >= token.Length || token[i + 1] is not ('0' or '1')))
            {
                throw ApiErrors.BadRequest($"invalid JSON pointer \"{text}\": '~' must be followed by '0' or '1'");
            }
        }
        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}

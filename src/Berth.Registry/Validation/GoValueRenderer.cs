using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Registry.Validation;

/// <summary>
/// Renders bad values roughly as Go's <c>%#v</c> does in upstream field errors: strings quoted, numbers and
/// booleans bare, <c>[]string{"a", "b"}</c>, <c>map[string]string{"k":"v"}</c>. Other objects render as compact
/// JSON (Go would print its struct dump, which has no JSON equivalent).
/// </summary>
internal static class GoValueRenderer
{
    public static string Render(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => node.ToJsonString(),
    };

    public static string Quote(string s) => Berth.Machinery.Errors.GoQuote.Quote(s);

    public static string StringSlice(IEnumerable<string> items) => "[]string{" + string.Join(", ", items.Select(Quote)) + "}";

    /// <summary><c>map[string]string{"a":"b", "c":"d"}</c>, keys sorted as Go's fmt sorts map keys.</summary>
    public static string StringMap(IReadOnlyDictionary<string, string> map) =>
        "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Quote(p.Key) + ":" + Quote(p.Value))) + "}";

    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}

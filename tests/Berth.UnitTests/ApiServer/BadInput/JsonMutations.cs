using System.Text.Json.Nodes;

namespace Berth.UnitTests.ApiServer.BadInput;

/// <summary>
/// Single-point mutations of a JSON object: one value, anywhere in the tree, replaced by a value of the wrong type, an
/// extreme number, an empty or control-character string, or an empty container. Deterministic for a given seed.
/// </summary>
internal static class JsonMutations
{
    private static readonly Func<JsonNode?>[] Variants =
    [
        () => null, () => 0, () => -1, () => long.MaxValue, () => 1e308, () => 0.5, () => "", () => "\u0000\u007f",
        () => new string('x', 300), () => "-1", () => true, () => new JsonObject(), () => new JsonArray(),
        () => new JsonArray((JsonNode?)null), () => new JsonObject { ["a"] = null },
    ];

    // Values of the same JSON type as the one replaced, so that decoding succeeds and validation, defaulting and
    // printing see them: names that break DNS rules, paths, quantities and times that do not parse, edge numbers.
    private static readonly JsonNode?[] SameTypeStrings =
        ["", "-", "A_B", "a..b", "../x", "1.5", "-1", "9999999999999999999999", "0x1f", "1e400", "Ki", "*", "a b", "\u00e9", new string('a', 64), "2026-13-45T99:99:99Z"];

    private static readonly JsonNode?[] SameTypeNumbers = [0, -1, int.MaxValue, int.MinValue, 2147483648L, -9223372036854775808L, 0.1, 1e300];

    /// <summary>Every path below <paramref name="root"/>: property names and list indexes, root excluded.</summary>
    public static List<object[]> Paths(JsonNode root)
    {
        var paths = new List<object[]>();
        Walk(root, [], paths);
        return paths;
    }

    /// <summary><paramref name="count"/> copies of <paramref name="root"/>, each with one path set to one variant.</summary>
    public static IEnumerable<(string Path, JsonObject Mutant)> Sample(JsonObject root, List<object[]> paths, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var path = paths[random.Next(paths.Count)];
            var mutant = root.DeepClone().AsObject();
            var value = random.Next(2) == 0 ? SameType(Get(mutant, path), random) : Variants[random.Next(Variants.Length)]();
            Set(mutant, path, value);
            yield return (string.Join('.', path) + " = " + (value?.ToJsonString() ?? "null"), mutant);
        }
    }

    private static JsonNode? SameType(JsonNode? current, Random random) => current?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => SameTypeStrings[random.Next(SameTypeStrings.Length)]?.DeepClone(),
        System.Text.Json.JsonValueKind.Number => SameTypeNumbers[random.Next(SameTypeNumbers.Length)]?.DeepClone(),
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => random.Next(2) == 0,
        System.Text.Json.JsonValueKind.Array => new JsonArray(),
        _ => new JsonObject(),
    };

    private static JsonNode? Get(JsonNode root, object[] path)
    {
        var node = (JsonNode?)root;
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (JsonObject obj, string name) => obj[name],
                (JsonArray list, int index) when index < list.Count => list[index],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>Sets <paramref name="path"/> in <paramref name="root"/>, creating the objects and lists on the way.</summary>
    public static void Set(JsonObject root, object[] path, JsonNode? value)
    {
        JsonNode current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            current = Child(current, path[i], path[i + 1] is int ? () => new JsonArray() : () => new JsonObject());
        }
        switch (current, path[^1])
        {
            case (JsonObject obj, string name):
                obj[name] = value;
                break;
            case (JsonArray list, int index):
                while (list.Count <= index)
                {
                    list.Add(null);
                }
                list[index] = value;
                break;
        }
    }

    private static JsonNode Child(JsonNode parent, object step, Func<JsonNode> create)
    {
        if (parent is JsonObject obj && step is string name)
        {
            return obj[name] is JsonObject or JsonArray ? obj[name]! : (obj[name] = create());
        }
        var list = (JsonArray)parent;
        var index = (int)step;
        while (list.Count <= index)
        {
            list.Add(null);
        }
        return list[index] is JsonObject or JsonArray ? list[index]! : (list[index] = create());
    }

    private static void Walk(JsonNode? node, List<object> prefix, List<object[]> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    prefix.Add(name);
                    paths.Add([.. prefix]);
                    Walk(child, prefix, paths);
                    prefix.RemoveAt(prefix.Count - 1);
                }
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    prefix.Add(i);
                    paths.Add([.. prefix]);
                    Walk(list[i], prefix, paths);
                    prefix.RemoveAt(prefix.Count - 1);
                }
                break;
        }
    }
}

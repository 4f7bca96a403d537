using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// The annotations that carry what autoscaling/v1 cannot express across a v2 → v1 → v2 round trip: other metrics,
/// current metrics, conditions and behavior. Their values are JSON: metrics and current metrics in the v1 metric
/// shapes, conditions as HorizontalPodAutoscalerCondition, and behavior with Go field names (upstream marshals its
/// internal type, which has no JSON tags). Stateless.
/// Mirrors kubernetes/kubernetes pkg/apis/autoscaling/annotations.go (DropRoundTripHorizontalPodAutoscalerAnnotations).
/// </summary>
internal static class RoundTripAnnotations
{
    public const string Metrics = "autoscaling.alpha.kubernetes.io/metrics";
    public const string CurrentMetrics = "autoscaling.alpha.kubernetes.io/current-metrics";
    public const string Conditions = "autoscaling.alpha.kubernetes.io/conditions";
    public const string Behavior = "autoscaling.alpha.kubernetes.io/behavior";

    private static readonly string[] All = [Metrics, CurrentMetrics, Conditions, Behavior];

    // The Go field names of the internal behavior type, in its field order; pointers and slices marshal as null.
    private static readonly string[] BehaviorFields = ["scaleUp", "scaleDown"];
    private static readonly string[] RulesFields = ["stabilizationWindowSeconds", "selectPolicy", "policies"];

    /// <summary>A copy of <paramref name="annotations"/> without the four round-trip keys (empty when there were none).</summary>
    public static JsonObject WithoutRoundTripKeys(JsonObject? annotations)
    {
        var copy = annotations?.DeepClone().AsObject() ?? [];
        foreach (var key in All)
        {
            copy.Remove(key);
        }
        return copy;
    }

    /// <summary>Parses the JSON value of <paramref name="key"/>; null when absent; 400 when it is not JSON of the expected shape.</summary>
    public static T? Read<T>(JsonObject? annotations, string key) where T : JsonNode
    {
        if (annotations?[key] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text) as T ?? throw new JsonException("unexpected JSON type");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"invalid value of annotation {key}: {e.Message}");
        }
    }

    /// <summary>Sets <paramref name="key"/> to the compact JSON of <paramref name="value"/>.</summary>
    public static void Write(JsonObject annotations, string key, JsonNode value) => annotations[key] = value.ToJsonString();

    /// <summary>A v2 <c>spec.behavior</c> in the annotation's shape: Go field names, absent pointers as null.</summary>
    public static JsonObject EncodeBehavior(JsonObject behavior)
    {
        var encoded = new JsonObject();
        foreach (var direction in BehaviorFields)
        {
            encoded[GoName(direction)] = behavior[direction] is JsonObject rules ? EncodeRules(rules) : null;
        }
        return encoded;
    }

    /// <summary>The annotation's behavior as a v2 <c>spec.behavior</c>: JSON names, nulls dropped (Go decodes names case-insensitively).</summary>
    public static JsonObject DecodeBehavior(JsonObject encoded) => (JsonObject)CamelCase(encoded)!;

    private static JsonObject EncodeRules(JsonObject rules)
    {
        var encoded = new JsonObject();
        foreach (var field in RulesFields)
        {
            encoded[GoName(field)] = field == "policies" ? PascalCase(rules[field]) : rules[field]?.DeepClone();
        }
        foreach (var (field, value) in rules.Where(p => !RulesFields.Contains(p.Key)))
        {
            encoded[GoName(field)] = value?.DeepClone();
        }
        return encoded;
    }

    private static JsonNode? PascalCase(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(GoName(p.Key), PascalCase(p.Value)))),
        JsonArray a => new JsonArray(a.Select(PascalCase).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonNode? CamelCase(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            return new JsonArray(array.Select(CamelCase).ToArray());
        }
        if (node is not JsonObject obj)
        {
            return node?.DeepClone();
        }
        var result = new JsonObject();
        foreach (var (key, value) in obj.Where(p => p.Value is not null))
        {
            result[JsonName(key)] = CamelCase(value); // "ScaleUp" and "scaleUp" both decode into one field: the last wins
        }
        return result;
    }

    private static string GoName(string jsonName) => char.ToUpperInvariant(jsonName[0]) + jsonName[1..];

    private static string JsonName(string goName) => goName.Length == 0 ? goName : char.ToLowerInvariant(goName[0]) + goName[1..];
}

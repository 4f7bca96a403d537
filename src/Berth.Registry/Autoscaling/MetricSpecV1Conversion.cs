using System.Text.Json.Nodes;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// One <c>spec.metrics</c> entry between autoscaling/v2 (<c>MetricSpec</c> with <c>metric</c>/<c>target</c>) and the
/// autoscaling/v1 <c>MetricSpec</c> kept in the metrics annotation (<c>metricName</c>, <c>targetValue</c>,
/// <c>targetAverageValue</c>, <c>targetAverageUtilization</c>). v1's non-pointer quantities (object targetValue, pods
/// targetAverageValue) are "0" when v2 has none. Reads any JSON without throwing; stateless.
/// Mirrors the metric source conversions of kubernetes/kubernetes pkg/apis/autoscaling/v1/conversion.go.
/// </summary>
internal static class MetricSpecV1Conversion
{
    internal const string Zero = "0";

    public static JsonObject ToV1(JsonObject v2)
    {
        var type = v2["type"]?.DeepClone();
        var v1 = new JsonObject { ["type"] = type };
        if (v2["object"] is JsonObject o)
        {
            v1["object"] = Json.Compact(
                ("target", Json.Clone(o["describedObject"])), ("metricName", Json.Clone(o["metric"]?["name"])),
                ("targetValue", Json.Clone(o["target"]?["value"]) ?? JsonValue.Create(Zero)), ("selector", Json.Clone(o["metric"]?["selector"])),
                ("averageValue", Json.Clone(o["target"]?["averageValue"])));
        }
        if (v2["pods"] is JsonObject p)
        {
            v1["pods"] = Json.Compact(("metricName", Json.Clone(p["metric"]?["name"])),
                ("targetAverageValue", Json.Clone(p["target"]?["averageValue"]) ?? JsonValue.Create(Zero)), ("selector", Json.Clone(p["metric"]?["selector"])));
        }
        Json.ConvertResourceSources(v2, v1, ResourceToV1);
        if (v2["external"] is JsonObject e)
        {
            v1["external"] = Json.Compact(("metricName", Json.Clone(e["metric"]?["name"])), ("metricSelector", Json.Clone(e["metric"]?["selector"])),
                ("targetValue", Json.Clone(e["target"]?["value"])), ("targetAverageValue", Json.Clone(e["target"]?["averageValue"])));
        }
        return v1;
    }

    public static JsonObject ToV2(JsonObject v1)
    {
        var v2 = new JsonObject { ["type"] = v1["type"]?.DeepClone() };
        if (v1["object"] is JsonObject o)
        {
            var type = o["averageValue"] is null ? "Value" : "AverageValue";
            v2["object"] = new JsonObject
            {
                ["describedObject"] = Json.Clone(o["target"]) ?? new JsonObject(),
                ["target"] = Json.Compact(("type", type), ("value", Json.Clone(o["targetValue"]) ?? JsonValue.Create(Zero)),
                    ("averageValue", Json.Clone(o["averageValue"]))),
                ["metric"] = Identifier(o["metricName"], o["selector"]),
            };
        }
        if (v1["pods"] is JsonObject p)
        {
            v2["pods"] = new JsonObject
            {
                ["metric"] = Identifier(p["metricName"], p["selector"]),
                ["target"] = Json.Compact(("type", "AverageValue"), ("averageValue", Json.Clone(p["targetAverageValue"]))),
            };
        }
        Json.ConvertResourceSources(v1, v2, ResourceToV2);
        if (v1["external"] is JsonObject e)
        {
            var type = e["targetValue"] is null ? "AverageValue" : "Value";
            v2["external"] = new JsonObject
            {
                ["metric"] = Identifier(e["metricName"], e["metricSelector"]),
                ["target"] = Json.Compact(("type", type), ("value", Json.Clone(e["targetValue"])), ("averageValue", Json.Clone(e["targetAverageValue"]))),
            };
        }
        return v2;
    }

    /// <summary>A v2 <c>metric</c> (MetricIdentifier) from a v1 name and selector.</summary>
    public static JsonObject Identifier(JsonNode? name, JsonNode? selector) =>
        Json.Compact(("name", Json.Clone(name) ?? ""), ("selector", Json.Clone(selector)));

    private static JsonObject ResourceToV1(JsonObject r) => Json.Compact(("name", Json.Clone(r["name"])),
        ("targetAverageUtilization", Json.Clone(r["target"]?["averageUtilization"])), ("targetAverageValue", Json.Clone(r["target"]?["averageValue"])));

    private static JsonObject ResourceToV2(JsonObject r)
    {
        var type = r["targetAverageUtilization"] is null ? "AverageValue" : "Utilization";
        return new JsonObject
        {
            ["name"] = Json.Clone(r["name"]),
            ["target"] = Json.Compact(("type", type), ("averageValue", Json.Clone(r["targetAverageValue"])),
                ("averageUtilization", Json.Clone(r["targetAverageUtilization"]))),
        };
    }
}

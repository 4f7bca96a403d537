using System.Text.Json.Nodes;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// One <c>status.currentMetrics</c> entry between autoscaling/v2 (<c>MetricStatus</c> with <c>metric</c>/<c>current</c>)
/// and the autoscaling/v1 <c>MetricStatus</c> kept in the current-metrics annotation (<c>currentValue</c>,
/// <c>currentAverageValue</c>, <c>currentAverageUtilization</c>). v1's non-pointer quantities are "0" when v2 has none,
/// and come back as set values. Reads any JSON without throwing; stateless.
/// Mirrors the metric status conversions of kubernetes/kubernetes pkg/apis/autoscaling/v1/conversion.go.
/// </summary>
internal static class MetricStatusV1Conversion
{
    private static JsonNode Zero => JsonValue.Create(MetricSpecV1Conversion.Zero);

    public static JsonObject ToV1(JsonObject v2)
    {
        var v1 = new JsonObject { ["type"] = Json.Clone(v2["type"]) };
        if (v2["object"] is JsonObject o)
        {
            v1["object"] = Json.Compact(
                ("target", Json.Clone(o["describedObject"])), ("metricName", Json.Clone(o["metric"]?["name"])),
                ("currentValue", Json.Clone(o["current"]?["value"]) ?? Zero), ("selector", Json.Clone(o["metric"]?["selector"])),
                ("averageValue", Json.Clone(o["current"]?["averageValue"])));
        }
        if (v2["pods"] is JsonObject p)
        {
            v1["pods"] = Json.Compact(("metricName", Json.Clone(p["metric"]?["name"])),
                ("currentAverageValue", Json.Clone(p["current"]?["averageValue"]) ?? Zero), ("selector", Json.Clone(p["metric"]?["selector"])));
        }
        Json.ConvertResourceSources(v2, v1, ResourceToV1);
        if (v2["external"] is JsonObject e)
        {
            v1["external"] = Json.Compact(("metricName", Json.Clone(e["metric"]?["name"])), ("metricSelector", Json.Clone(e["metric"]?["selector"])),
                ("currentValue", Json.Clone(e["current"]?["value"]) ?? Zero), ("currentAverageValue", Json.Clone(e["current"]?["averageValue"])));
        }
        return v1;
    }

    public static JsonObject ToV2(JsonObject v1)
    {
        var v2 = new JsonObject { ["type"] = Json.Clone(v1["type"]) };
        if (v1["object"] is JsonObject o)
        {
            v2["object"] = new JsonObject
            {
                ["metric"] = MetricSpecV1Conversion.Identifier(o["metricName"], o["selector"]),
                ["current"] = Json.Compact(("value", Json.Clone(o["currentValue"]) ?? Zero), ("averageValue", Json.Clone(o["averageValue"]))),
                ["describedObject"] = Json.Clone(o["target"]) ?? new JsonObject(),
            };
        }
        if (v1["pods"] is JsonObject p)
        {
            v2["pods"] = new JsonObject
            {
                ["metric"] = MetricSpecV1Conversion.Identifier(p["metricName"], p["selector"]),
                ["current"] = new JsonObject { ["averageValue"] = Json.Clone(p["currentAverageValue"]) ?? Zero },
            };
        }
        Json.ConvertResourceSources(v1, v2, ResourceToV2);
        if (v1["external"] is JsonObject e)
        {
            v2["external"] = new JsonObject
            {
                ["metric"] = MetricSpecV1Conversion.Identifier(e["metricName"], e["metricSelector"]),
                ["current"] = Json.Compact(("value", Json.Clone(e["currentValue"]) ?? Zero), ("averageValue", Json.Clone(e["currentAverageValue"]))),
            };
        }
        return v2;
    }

    private static JsonObject ResourceToV1(JsonObject r) => Json.Compact(("name", Json.Clone(r["name"])),
        ("currentAverageUtilization", Json.Clone(r["current"]?["averageUtilization"])),
        ("currentAverageValue", Json.Clone(r["current"]?["averageValue"]) ?? Zero));

    private static JsonObject ResourceToV2(JsonObject r) => new()
    {
        ["name"] = Json.Clone(r["name"]),
        ["current"] = Json.Compact(("averageValue", Json.Clone(r["currentAverageValue"]) ?? Zero),
            ("averageUtilization", Json.Clone(r["currentAverageUtilization"]))),
    };
}

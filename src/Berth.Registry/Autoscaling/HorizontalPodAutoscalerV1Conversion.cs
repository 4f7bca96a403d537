using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Conversion;
using A = Berth.Registry.Autoscaling.RoundTripAnnotations;

namespace Berth.Registry.Autoscaling;

/// <summary>
/// HorizontalPodAutoscaler between autoscaling/v1 (served) and autoscaling/v2 (stored). The first cpu Resource metric
/// with an averageUtilization target is <c>spec.targetCPUUtilizationPercentage</c>; every other metric, the current
/// metrics, the conditions and the behavior travel in <see cref="RoundTripAnnotations"/>, so a v2 object read and written
/// back through v1 loses nothing. A v1 object with neither a cpu target nor other metrics means the default 80% cpu
/// utilization; v1 defaults minReplicas to 1. Stateless, thread-safe.
/// Mirrors kubernetes/kubernetes pkg/apis/autoscaling/v1/conversion.go (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_…
/// and back) and pkg/apis/autoscaling/v1/defaults.go.
/// </summary>
public sealed class HorizontalPodAutoscalerV1Conversion : IVersionConverter
{
    /// <summary>Upstream's DefaultCPUUtilization: the target of a v1 object that names none.</summary>
    public const int DefaultCpuUtilization = 80;

    public ResourceKind ServedKind => KindRegistry.HorizontalPodAutoscalersV1;

    public JsonObject FromStorage(JsonObject stored)
    {
        var (spec, status) = (stored["spec"] as JsonObject ?? [], stored["status"] as JsonObject ?? []);
        var metrics = (spec["metrics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var currentMetrics = (status["currentMetrics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var metadata = stored["metadata"]?.DeepClone().AsObject() ?? [];
        var annotations = A.WithoutRoundTripKeys(metadata["annotations"] as JsonObject);
        var others = metrics.Where(m => !IsCpuUtilization(m)).Select(MetricSpecV1Conversion.ToV1).ToArray();
        if (others.Length > 0)
        {
            A.Write(annotations, A.Metrics, new JsonArray(others));
        }
        if (currentMetrics.Count > 0)
        {
            A.Write(annotations, A.CurrentMetrics, new JsonArray(currentMetrics.Select(MetricStatusV1Conversion.ToV1).ToArray()));
        }
        if (spec["behavior"] is JsonObject behavior)
        {
            A.Write(annotations, A.Behavior, A.EncodeBehavior(behavior));
        }
        if (status["conditions"] is JsonArray { Count: > 0 } conditions)
        {
            A.Write(annotations, A.Conditions, conditions.DeepClone());
        }
        SetAnnotations(metadata, annotations);
        return new JsonObject
        {
            ["apiVersion"] = ServedKind.ApiVersion, ["kind"] = ServedKind.Kind, ["metadata"] = metadata,
            ["spec"] = SpecToV1(spec, metrics), ["status"] = StatusToV1(status, currentMetrics),
        };
    }

    public JsonObject ToStorage(JsonObject served)
    {
        var (spec, status) = (served["spec"] as JsonObject ?? [], served["status"] as JsonObject ?? []);
        var metadata = served["metadata"]?.DeepClone().AsObject() ?? [];
        var annotations = metadata["annotations"] as JsonObject;
        var v2Spec = SpecToV2(spec, annotations);
        var v2Status = StatusToV2(status, annotations);
        SetAnnotations(metadata, A.WithoutRoundTripKeys(annotations));
        var stored = new JsonObject
        {
            ["apiVersion"] = ServedKind.StorageVersion.ApiVersion, ["kind"] = ServedKind.Kind, ["metadata"] = metadata, ["spec"] = v2Spec,
        };
        if (served["status"] is not null || v2Status.Count > 0)
        {
            stored["status"] = v2Status;
        }
        return stored;
    }

    private static JsonObject SpecToV1(JsonObject spec, List<JsonObject> metrics)
    {
        var v1 = Json.Compact(("scaleTargetRef", Json.Clone(spec["scaleTargetRef"]) ?? new JsonObject()), ("minReplicas", Json.Clone(spec["minReplicas"])),
            ("maxReplicas", Json.Clone(spec["maxReplicas"]) ?? 0));
        var cpu = metrics.FirstOrDefault(m => IsResource(m, "resource") && AsString(m["resource"]!["name"]) == "cpu");
        if (cpu?["resource"]?["target"]?["averageUtilization"] is { } utilization)
        {
            v1["targetCPUUtilizationPercentage"] = utilization.DeepClone();
        }
        return v1;
    }

    private static JsonObject SpecToV2(JsonObject spec, JsonObject? annotations)
    {
        var v2 = Json.Compact(("scaleTargetRef", Json.Clone(spec["scaleTargetRef"]) ?? new JsonObject()),
            ("minReplicas", Json.Clone(spec["minReplicas"]) ?? 1), ("maxReplicas", Json.Clone(spec["maxReplicas"]) ?? 0));
        var metrics = new JsonArray();
        foreach (var other in Elements(A.Read<JsonArray>(annotations, A.Metrics), A.Metrics))
        {
            metrics.Add(MetricSpecV1Conversion.ToV2(other));
        }
        if (spec["targetCPUUtilizationPercentage"] is { } target)
        {
            metrics.Add(CpuUtilization(target.DeepClone()));
        }
        if (metrics.Count == 0)
        {
            metrics.Add(CpuUtilization(DefaultCpuUtilization));
        }
        v2["metrics"] = metrics;
        if (A.Read<JsonObject>(annotations, A.Behavior) is { } behavior)
        {
            v2["behavior"] = A.DecodeBehavior(behavior);
        }
        return v2;
    }

    private static JsonObject StatusToV1(JsonObject status, List<JsonObject> currentMetrics)
    {
        var v1 = Json.Compact(("observedGeneration", Json.Clone(status["observedGeneration"])), ("lastScaleTime", Json.Clone(status["lastScaleTime"])),
            ("currentReplicas", Json.Clone(status["currentReplicas"]) ?? 0), ("desiredReplicas", Json.Clone(status["desiredReplicas"]) ?? 0));
        foreach (var metric in currentMetrics.Where(m => IsResource(m, "resource") && AsString(m["resource"]!["name"]) == "cpu"))
        {
            if (metric["resource"]!["current"]?["averageUtilization"] is { } utilization)
            {
                v1["currentCPUUtilizationPercentage"] = utilization.DeepClone(); // the last one wins, as upstream
            }
        }
        return v1;
    }

    private static JsonObject StatusToV2(JsonObject status, JsonObject? annotations)
    {
        var v2 = Json.Compact(("observedGeneration", Json.Clone(status["observedGeneration"])), ("lastScaleTime", Json.Clone(status["lastScaleTime"])),
            ("currentReplicas", Json.Clone(status["currentReplicas"])), ("desiredReplicas", Json.Clone(status["desiredReplicas"])));
        if (A.Read<JsonArray>(annotations, A.CurrentMetrics) is { } current)
        {
            v2["currentMetrics"] = new JsonArray(Elements(current, A.CurrentMetrics).Select(MetricStatusV1Conversion.ToV2).ToArray());
        }
        else if (status["currentCPUUtilizationPercentage"] is { } utilization)
        {
            v2["currentMetrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["current"] = new JsonObject { ["averageUtilization"] = utilization.DeepClone() } },
            });
        }
        if (A.Read<JsonArray>(annotations, A.Conditions) is { } conditions)
        {
            v2["conditions"] = new JsonArray(Elements(conditions, A.Conditions).Select(c => c.DeepClone()).ToArray());
        }
        return v2;
    }

    private static JsonObject CpuUtilization(JsonNode percent) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject
        {
            ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = percent },
        },
    };

    /// <summary>The v2 metrics v1 expresses as targetCPUUtilizationPercentage (all of them leave the metrics annotation).</summary>
    private static bool IsCpuUtilization(JsonObject metric) =>
        IsResource(metric, "resource") && AsString(metric["resource"]!["name"]) == "cpu" && metric["resource"]!["target"]?["averageUtilization"] is not null;

    private static bool IsResource(JsonObject metric, string field) => AsString(metric["type"]) == "Resource" && metric[field] is JsonObject;

    private static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The entries of an annotation's array; 400 when one is not an object (upstream's unmarshal fails).</summary>
    private static IEnumerable<JsonObject> Elements(JsonArray? array, string annotation) =>
        (array ?? []).Select(e => e as JsonObject ?? throw ApiErrors.BadRequest($"invalid value of annotation {annotation}: expected a list of objects"));

    /// <summary>Replaces the annotations where they were in the metadata; empty annotations are left out.</summary>
    private static void SetAnnotations(JsonObject metadata, JsonObject annotations)
    {
        var index = metadata.IndexOf("annotations");
        if (index < 0 && annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }
        else if (index >= 0 && annotations.Count > 0)
        {
            metadata.SetAt(index, annotations);
        }
        else if (index >= 0)
        {
            metadata.RemoveAt(index);
        }
    }
}

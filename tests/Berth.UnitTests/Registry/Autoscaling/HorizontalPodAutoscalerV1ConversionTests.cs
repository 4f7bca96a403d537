using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Autoscaling;

namespace Berth.UnitTests.Registry.Autoscaling;

/// <summary>autoscaling/v1 ↔ v2 conversion of HorizontalPodAutoscaler (pkg/apis/autoscaling/v1/conversion.go semantics).</summary>
public sealed class HorizontalPodAutoscalerV1ConversionTests
{
    private const string Ref = """{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}""";
    private static readonly HorizontalPodAutoscalerV1Conversion Converter = new();

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject V1(string spec, string status = "") => Parse(
        $$"""{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"h","namespace":"default"},"spec":{"scaleTargetRef":{{Ref}},{{spec}}}{{status}}}""");

    private static JsonObject V2(string spec, string status = "") => Parse(
        $$"""{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h","namespace":"default","resourceVersion":"7"},"spec":{"scaleTargetRef":{{Ref}},"minReplicas":2,"maxReplicas":9,{{spec}}}{{status}}}""");

    private static string Annotation(JsonObject obj, string key) => (string)obj["metadata"]!["annotations"]![key]!;

    [Fact]
    public void ToStorage_TargetCpu_BecomesResourceUtilizationMetric_MinReplicasDefaultsToOne()
    {
        var v2 = Converter.ToStorage(V1(""" "maxReplicas":3,"targetCPUUtilizationPercentage":50 """));

        Assert.Equal("autoscaling/v2", (string)v2["apiVersion"]!);
        Assert.Equal(1, (int)v2["spec"]!["minReplicas"]!);
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""",
            v2["spec"]!["metrics"]!.ToJsonString());
        Assert.Null(v2["metadata"]!["annotations"]);
        Assert.Null(v2["status"]);
    }

    [Fact]
    public void ToStorage_NoTargetAndNoOtherMetrics_MeansDefaultCpu80()
    {
        var v2 = Converter.ToStorage(V1(""" "minReplicas":2,"maxReplicas":3 """));

        Assert.Equal(80, (int)v2["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!);
        Assert.Equal(2, (int)v2["spec"]!["minReplicas"]!);
    }

    [Fact]
    public void FromStorage_CpuUtilization_IsTargetCpu_OtherMetricsGoToAnnotation_ReplicaCountsAlwaysPresent()
    {
        var v1 = Converter.FromStorage(V2("""
            "metrics":[
              {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}},
              {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}]
            """));

        Assert.Equal("autoscaling/v1", (string)v1["apiVersion"]!);
        Assert.Equal("""{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":9,"targetCPUUtilizationPercentage":60}""",
            v1["spec"]!.ToJsonString());
        Assert.Equal("""[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]""",
            Annotation(v1, RoundTripAnnotations.Metrics));
        Assert.Equal("""{"currentReplicas":0,"desiredReplicas":0}""", v1["status"]!.ToJsonString());
        Assert.Equal("7", (string)v1["metadata"]!["resourceVersion"]!);
    }

    [Fact]
    public void FromStorage_Status_CurrentCpuFromCurrentMetrics_RawMetricsConditionsAndBehaviorAnnotated()
    {
        var v1 = Converter.FromStorage(V2("""
            "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}],
            "behavior":{"scaleDown":{"stabilizationWindowSeconds":60,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}}
            """, """
            ,"status":{"observedGeneration":3,"currentReplicas":2,"desiredReplicas":4,
              "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"150m","averageUtilization":150}}}],
              "conditions":[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"SucceededRescale","message":"m"}]}
            """));

        Assert.Equal("""{"observedGeneration":3,"currentReplicas":2,"desiredReplicas":4,"currentCPUUtilizationPercentage":150}""", v1["status"]!.ToJsonString());
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":150,"currentAverageValue":"150m"}}]""",
            Annotation(v1, RoundTripAnnotations.CurrentMetrics));
        Assert.Equal("""[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"SucceededRescale","message":"m"}]""",
            Annotation(v1, RoundTripAnnotations.Conditions));
        Assert.Equal("""{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}]}}""",
            Annotation(v1, RoundTripAnnotations.Behavior));
        Assert.Null(v1["spec"]!["metrics"]);
    }

    [Fact]
    public void RoundTrip_EveryMetricSourceBehaviorStatusAndConditions_ComesBackUnchanged()
    {
        var original = V2("""
            "metrics":[
              {"type":"Pods","pods":{"metric":{"name":"qps","selector":{"matchLabels":{"a":"b"}}},"target":{"type":"AverageValue","averageValue":"10"}}},
              {"type":"Object","object":{"describedObject":{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","name":"i"},"target":{"type":"Value","value":"2k"},"metric":{"name":"hits"}}},
              {"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"30"}}},
              {"type":"ContainerResource","containerResource":{"name":"memory","target":{"type":"Utilization","averageUtilization":70},"container":"app"}},
              {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}],
            "behavior":{"scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15}]},
              "scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Min","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}}
            """, """
            ,"status":{"observedGeneration":3,"lastScaleTime":"2026-01-01T00:00:00Z","currentReplicas":2,"desiredReplicas":4,
              "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"150m","averageUtilization":150}}},
                {"type":"Pods","pods":{"metric":{"name":"qps"},"current":{"averageValue":"12"}}}],
              "conditions":[{"type":"ScalingActive","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"ValidMetricFound","message":"m"}]}
            """);
        original["metadata"]!["annotations"] = new JsonObject { ["keep"] = "me" };

        var back = Converter.ToStorage(Converter.FromStorage(original));

        Assert.Equal(original.ToJsonString(), back.ToJsonString());
    }

    [Fact]
    public void ToStorage_OtherMetricsFirstThenCpu_CurrentMetricsAnnotationWinsOverCurrentCpu()
    {
        var v1 = V1(""" "maxReplicas":3,"targetCPUUtilizationPercentage":50 """, ""","status":{"currentReplicas":1,"desiredReplicas":1,"currentCPUUtilizationPercentage":20}""");
        v1["metadata"]!["annotations"] = new JsonObject
        {
            [RoundTripAnnotations.Metrics] = """[{"type":"External","external":{"metricName":"q","targetValue":"5"}}]""",
            [RoundTripAnnotations.CurrentMetrics] = """[{"type":"External","external":{"metricName":"q","currentValue":"4"}}]""",
        };

        var v2 = Converter.ToStorage(v1);

        Assert.Equal("""[{"type":"External","external":{"metric":{"name":"q"},"target":{"type":"Value","value":"5"}}},{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""",
            v2["spec"]!["metrics"]!.ToJsonString());
        Assert.Equal("""[{"type":"External","external":{"metric":{"name":"q"},"current":{"value":"4"}}}]""", v2["status"]!["currentMetrics"]!.ToJsonString());
        Assert.Null(v2["metadata"]!["annotations"]);
    }

    [Fact]
    public void ToStorage_CurrentCpuWithoutAnnotation_BecomesCpuCurrentMetric()
    {
        var v2 = Converter.ToStorage(V1(""" "maxReplicas":3 """, ""","status":{"currentReplicas":1,"desiredReplicas":2,"currentCPUUtilizationPercentage":20}"""));

        Assert.Equal("""{"currentReplicas":1,"desiredReplicas":2,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":20}}}]}""",
            v2["status"]!.ToJsonString());
    }

    [Fact]
    public void ToStorage_BehaviorAnnotation_AcceptsGoNamesAndNulls()
    {
        var v1 = V1(""" "maxReplicas":3 """);
        v1["metadata"]!["annotations"] = new JsonObject
        {
            [RoundTripAnnotations.Behavior] = """{"ScaleUp":{"StabilizationWindowSeconds":10,"SelectPolicy":null,"Policies":null},"ScaleDown":null}""",
        };

        var v2 = Converter.ToStorage(v1);

        Assert.Equal("""{"scaleUp":{"stabilizationWindowSeconds":10}}""", v2["spec"]!["behavior"]!.ToJsonString());
    }

    [Theory]
    [InlineData("autoscaling.alpha.kubernetes.io/metrics", "not json")]
    [InlineData("autoscaling.alpha.kubernetes.io/metrics", "[1]")]
    [InlineData("autoscaling.alpha.kubernetes.io/behavior", "[]")]
    [InlineData("autoscaling.alpha.kubernetes.io/conditions", "{\"a\":1,\"a\":2}")]
    public void ToStorage_MalformedAnnotation_Is400(string key, string value)
    {
        var v1 = V1(""" "maxReplicas":3 """);
        v1["metadata"]!["annotations"] = new JsonObject { [key] = value };

        var e = Assert.Throws<ApiException>(() => Converter.ToStorage(v1));

        Assert.Equal(400, e.Code);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStorage_StaleRoundTripAnnotationsOnTheStoredObject_AreReplaced()
    {
        var stored = V2(""" "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}] """);
        stored["metadata"]!["annotations"] = new JsonObject { [RoundTripAnnotations.Metrics] = "[]", [RoundTripAnnotations.Behavior] = "{}" };

        var v1 = Converter.FromStorage(stored);

        Assert.Null(v1["metadata"]!["annotations"]);
    }
}

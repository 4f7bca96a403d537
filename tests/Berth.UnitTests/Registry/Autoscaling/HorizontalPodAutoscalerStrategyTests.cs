using System.Text.Json.Nodes;
using Berth.Registry.Autoscaling;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Autoscaling;

/// <summary>HPA defaulting (SetDefaults_HorizontalPodAutoscaler[Behavior]) and validation (validateHorizontalPodAutoscalerSpec).</summary>
public sealed class HorizontalPodAutoscalerStrategyTests
{
    private const string Target = """ "scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"} """;
    private const string Cpu50 = """ "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}] """;

    private readonly HorizontalPodAutoscalerStrategy _strategy = new();

    private static string Hpa(string spec) => """{"metadata":{"name":"h","namespace":"default"},"spec":{""" + spec + "}}";

    [Fact]
    public void Default_MinReplicasOne_MetricsCpu80_NoBehavior()
    {
        var hpa = Parse(Hpa(Target + """, "maxReplicas":5"""));

        Assert.Empty(Create(_strategy, hpa));

        Assert.Equal(1, (int)hpa["spec"]!["minReplicas"]!);
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""",
            hpa["spec"]!["metrics"]!.ToJsonString());
        Assert.Null(hpa["spec"]!["behavior"]);
        Assert.True(_strategy.TracksGeneration);
    }

    [Fact]
    public void Default_DropsTheV1RoundTripAnnotations_KeepsOthers()
    {
        var hpa = Parse(Hpa(Target + """, "maxReplicas":5"""));
        hpa["metadata"]!["annotations"] = new JsonObject
        {
            [RoundTripAnnotations.Metrics] = "[]", [RoundTripAnnotations.Behavior] = "{}", ["keep"] = "me",
        };

        Assert.Empty(Create(_strategy, hpa));

        Assert.Equal("""{"keep":"me"}""", hpa["metadata"]!["annotations"]!.ToJsonString());
    }

    [Fact]
    public void Default_GivenBehavior_FilledFromUpstreamRules_ScaleDownWindowLeftUnset()
    {
        var hpa = Parse(Hpa(Target + "," + Cpu50 + """, "maxReplicas":5, "behavior":{"scaleDown":{"selectPolicy":"Min"}}"""));

        Assert.Empty(Create(_strategy, hpa));

        Assert.Equal(
            """{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]}""",
            hpa["spec"]!["behavior"]!["scaleUp"]!.ToJsonString());
        Assert.Equal("""{"selectPolicy":"Min","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}""",
            hpa["spec"]!["behavior"]!["scaleDown"]!.ToJsonString());
    }

    [Theory]
    [InlineData(""" "maxReplicas":0 """, "spec.maxReplicas: Invalid value: 0: must be greater than 0")]
    [InlineData(""" "maxReplicas":2, "minReplicas":0 """, "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1")]
    [InlineData(""" "maxReplicas":2, "minReplicas":3 """, "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`")]
    [InlineData(""" "maxReplicas":2, "scaleTargetRef":{"name":"web"} """, "spec.scaleTargetRef.kind: Required value")]
    [InlineData(""" "maxReplicas":2, "scaleTargetRef":{"kind":"Deployment","name":"a/b"} """, "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Bogus"}] """, "spec.metrics[0].type: Unsupported value: \"Bogus\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Resource"}] """, "spec.metrics[0].resource: Required value: must populate information for the given metric source")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization"}}}] """, "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":0}}}] """, "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Percent","averageUtilization":5}}}] """, "spec.metrics[0].resource.target.type: Invalid value: \"Percent\": must be either Utilization, Value, or AverageValue")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi","averageUtilization":5}}}] """, "spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":5}},"pods":{}}] """, "spec.metrics[0].pods: Forbidden: must populate the given metric source only")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"ContainerResource","containerResource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":5}}}] """, "spec.metrics[0].containerResource.container: Required value: must specify a container")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue"}}}] """, "spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"External","external":{"metric":{"name":""},"target":{"type":"Value","value":"-1"}}}] """, "spec.metrics[0].external.metric.name: Required value: must specify a metric name")]
    [InlineData(""" "maxReplicas":2, "metrics":[{"type":"External","external":{"metric":{"name":"q"},"target":{"type":"Value","value":"-1"}}}] """, "spec.metrics[0].external.target.value: Invalid value: \"-1\": must be positive")]
    [InlineData(""" "maxReplicas":2, "behavior":{"scaleUp":{"stabilizationWindowSeconds":3601}} """, "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600")]
    [InlineData(""" "maxReplicas":2, "behavior":{"scaleDown":{"selectPolicy":"Most"}} """, "spec.behavior.scaleDown.selectPolicy: Unsupported value: \"Most\": supported values: \"Disabled\", \"Max\", \"Min\"")]
    [InlineData(""" "maxReplicas":2, "behavior":{"scaleDown":{"policies":[]}} """, "spec.behavior.scaleDown.policies: Required value: must specify at least one Policy")]
    [InlineData(""" "maxReplicas":2, "behavior":{"scaleUp":{"policies":[{"type":"Nodes","value":0,"periodSeconds":1801}]}} """, "spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Nodes\": supported values: \"Percent\", \"Pods\"")]
    [InlineData(""" "maxReplicas":2, "behavior":{"scaleUp":{"policies":[{"type":"Pods","value":0,"periodSeconds":15}]}} """, "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero")]
    [InlineData(""" "maxReplicas":2, "behavior":{"scaleUp":{"policies":[{"type":"Pods","value":1,"periodSeconds":1801}]}} """, "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800")]
    public void Validate_RejectsWithUpstreamFieldPath(string spec, string expected)
    {
        var json = spec.Contains("scaleTargetRef", StringComparison.Ordinal) ? spec : Target + "," + spec;
        Assert.Contains(expected, Create(_strategy, Parse(Hpa(json))));
    }

    [Fact]
    public void Validate_AcceptsEveryMetricType()
    {
        var hpa = Parse(Hpa(Target + """
            , "maxReplicas":4, "metrics":[
              {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}},
              {"type":"ContainerResource","containerResource":{"name":"cpu","container":"app","target":{"type":"Utilization","averageUtilization":60}}},
              {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}},
              {"type":"Object","object":{"describedObject":{"kind":"Service","name":"web"},"metric":{"name":"rps"},"target":{"type":"Value","value":"100"}}},
              {"type":"External","external":{"metric":{"name":"queue","selector":{"matchLabels":{"q":"a"}}},"target":{"type":"AverageValue","averageValue":"30"}}}]
            """));

        Assert.Empty(Create(_strategy, hpa));
    }

    [Fact]
    public void StatusUpdate_NegativeReplicas_Invalid_SpecKept()
    {
        var old = Parse(Hpa(Target + "," + Cpu50 + """, "maxReplicas":5"""));
        Create(_strategy, old);
        var updated = With(old, h => h["status"] = Parse("""{"currentReplicas":-1,"desiredReplicas":2}"""));
        updated["spec"]!["maxReplicas"] = 9;

        _strategy.PrepareForStatusUpdate(updated, old);

        Assert.Equal(["status.currentReplicas: Invalid value: -1: must be greater than or equal to 0"],
            Render(_strategy.ValidateStatusUpdate(updated, old)));
        Assert.Equal(5, (int)updated["spec"]!["maxReplicas"]!);
    }
}

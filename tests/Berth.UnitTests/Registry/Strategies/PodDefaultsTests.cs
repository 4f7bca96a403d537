using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class PodDefaultsTests
{
    private static JsonObject MinimalPod() => Parse("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
         "spec":{"containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80}],
           "readinessProbe":{"httpGet":{"port":80}},
           "env":[{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
           "lifecycle":{"preStop":{"httpGet":{"port":80}}}}]}}
        """);

    [Fact]
    public void Default_MinimalPod_AppliesUpstreamPodSpecDefaults()
    {
        var pod = MinimalPod();
        new PodStrategy().Default(pod);

        var spec = pod.GetObject("spec")!;
        Assert.Equal("Always", spec["restartPolicy"]!.GetValue<string>());
        Assert.Equal(30, JsonFieldsLong(spec["terminationGracePeriodSeconds"]));
        Assert.Equal("ClusterFirst", spec["dnsPolicy"]!.GetValue<string>());
        Assert.Equal("default-scheduler", spec["schedulerName"]!.GetValue<string>());
        Assert.Equal("{}", spec["securityContext"]!.ToJsonString());
        Assert.Equal("default", spec["serviceAccountName"]!.GetValue<string>());
        Assert.Equal("default", spec["serviceAccount"]!.GetValue<string>());
        Assert.True(spec["enableServiceLinks"]!.GetValue<bool>());
        Assert.Equal(0, JsonFieldsLong(spec["priority"]));
        Assert.Equal("PreemptLowerPriority", spec["preemptionPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void Default_MinimalPod_AppliesContainerProbeAndHandlerDefaults()
    {
        var pod = MinimalPod();
        new PodStrategy().Default(pod);

        var c = pod.GetArray("spec", "containers")![0]!.AsObject();
        Assert.Equal("Always", c["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal("/dev/termination-log", c["terminationMessagePath"]!.GetValue<string>());
        Assert.Equal("File", c["terminationMessagePolicy"]!.GetValue<string>());
        Assert.Equal("{}", c["resources"]!.ToJsonString());
        Assert.Equal("TCP", c["ports"]![0]!["protocol"]!.GetValue<string>());
        var probe = c.GetObject("readinessProbe")!;
        Assert.Equal((1L, 10L, 1L, 3L), (JsonFieldsLong(probe["timeoutSeconds"]), JsonFieldsLong(probe["periodSeconds"]),
            JsonFieldsLong(probe["successThreshold"]), JsonFieldsLong(probe["failureThreshold"])));
        Assert.Equal("/", probe.GetString("httpGet", "path"));
        Assert.Equal("HTTP", probe.GetString("httpGet", "scheme"));
        Assert.Equal("HTTP", c.GetString("lifecycle", "preStop", "httpGet", "scheme"));
        Assert.Equal("v1", c["env"]![0]!.AsObject().GetString("valueFrom", "fieldRef", "apiVersion"));
    }

    [Fact]
    public void Default_NoTolerations_AddsNotReadyAndUnreachableFor300Seconds()
    {
        var pod = MinimalPod();
        var strategy = new PodStrategy();
        strategy.Default(pod);
        strategy.Default(pod);

        var tolerations = pod.GetArray("spec", "tolerations")!;
        Assert.Equal(2, tolerations.Count);
        Assert.Equal("""{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}""", tolerations[0]!.ToJsonString());
        Assert.Equal("node.kubernetes.io/unreachable", tolerations[1]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Default_TolerateAllNoExecute_AddsNothing()
    {
        var pod = MinimalPod();
        pod.GetObject("spec")!["tolerations"] = JsonNode.Parse("""[{"operator":"Exists"}]""");
        new PodStrategy().Default(pod);

        Assert.Single(pod.GetArray("spec", "tolerations")!);
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.25", "IfNotPresent")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    [InlineData("localhost:5000/app", "Always")]
    [InlineData("localhost:5000/app:v2", "IfNotPresent")]
    [InlineData("registry.k8s.io/pause:3.10", "IfNotPresent")]
    public void DefaultPullPolicy_ImageTag_MatchesUpstream(string image, string expected)
    {
        Assert.Equal(expected, ContainerDefaults.DefaultPullPolicy(image));
    }

    [Theory]
    [InlineData(-5, 1)]
    [InlineData(0, 0)]
    [InlineData(45, 45)]
    public void Default_TerminationGracePeriod_NegativeStoredAsOne(long given, long stored)
    {
        var pod = MinimalPod();
        pod.GetObject("spec")!["terminationGracePeriodSeconds"] = given;
        new PodStrategy().Default(pod);

        Assert.Equal(stored, JsonFieldsLong(pod.GetPath("spec", "terminationGracePeriodSeconds")));
    }

    [Fact]
    public void Default_LimitsWithoutRequests_RequestsCopiedFromLimits()
    {
        var pod = MinimalPod();
        pod.GetArray("spec", "containers")![0]!["resources"] = JsonNode.Parse("""{"limits":{"cpu":"500m","memory":"64Mi"},"requests":{"cpu":"100m"}}""");
        new PodStrategy().Default(pod);

        var requests = pod.GetArray("spec", "containers")![0]!["resources"]!["requests"]!.AsObject();
        Assert.Equal("100m", requests["cpu"]!.GetValue<string>());
        Assert.Equal("64Mi", requests["memory"]!.GetValue<string>());
    }

    [Fact]
    public void Default_DeprecatedServiceAccountOnly_FillsServiceAccountName()
    {
        var pod = MinimalPod();
        pod.GetObject("spec")!["serviceAccount"] = "builder";
        new PodStrategy().Default(pod);

        Assert.Equal("builder", pod.GetString("spec", "serviceAccountName"));
    }

    [Fact]
    public void Default_VolumeWithoutSource_BecomesEmptyDirAndSecretGetsMode420()
    {
        var pod = MinimalPod();
        pod.GetObject("spec")!["volumes"] = JsonNode.Parse("""[{"name":"scratch"},{"name":"s","secret":{"secretName":"x"}}]""");
        new PodStrategy().Default(pod);

        Assert.Equal("{}", pod.GetArray("spec", "volumes")![0]!["emptyDir"]!.ToJsonString());
        Assert.Equal(420, JsonFieldsLong(pod.GetArray("spec", "volumes")![1]!["secret"]!["defaultMode"]));
    }

    [Fact]
    public void PrepareForCreate_ClientStatus_ReplacedByPendingWithQosClass()
    {
        var pod = MinimalPod();
        pod["status"] = JsonNode.Parse("""{"phase":"Running","podIP":"10.0.0.1"}""");
        new PodStrategy().PrepareForCreate(pod);

        Assert.Equal("""{"phase":"Pending","qosClass":"BestEffort"}""", pod["status"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"name":"a","image":"x"}]""", "BestEffort")]
    [InlineData("""[{"name":"a","image":"x","resources":{"requests":{"cpu":"100m"}}}]""", "Burstable")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1000m","memory":"1Gi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}}}]""", "Burstable")]
    [InlineData("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},{"name":"b","image":"x"}]""", "Burstable")]
    public void PrepareForCreate_Resources_ComputesQosClass(string containers, string expected)
    {
        var pod = Parse("""{"metadata":{"name":"p","namespace":"default"},"spec":{"containers":""" + containers + "}}");
        new PodStrategy().PrepareForCreate(pod);

        Assert.Equal(expected, pod.GetString("status", "qosClass"));
    }

    private static long JsonFieldsLong(JsonNode? node) =>
        long.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}

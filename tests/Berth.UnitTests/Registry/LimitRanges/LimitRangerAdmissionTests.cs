using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.LimitRanges;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.LimitRanges;

/// <summary>LimitRanger admission: defaults merged into containers, min/max/ratio refused with upstream's 403 messages.</summary>
public sealed class LimitRangerAdmissionTests
{
    private static JsonObject Range(string limits) => Parse("""{"metadata":{"name":"lr","namespace":"default"},"spec":{"limits":""" + limits + "}}");

    private static JsonObject Pod(string resources, string init = "") => Parse("""
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"i","resources":
        """ + resources + "}]" + (init.Length > 0 ? ""","initContainers":[{"name":"setup","image":"i","resources":""" + init + "}]" : "") + "}}");

    private static string Forbidden(JsonObject pod, params JsonObject[] ranges) =>
        Assert.Throws<ApiException>(() => LimitRangerAdmission.Admit(pod, ranges)).Message;

    [Fact]
    public void Defaults_FillOnlyMissingResources_AndAnnotate()
    {
        var pod = Pod("""{"requests":{"cpu":"50m"}}""", init: "{}");

        LimitRangerAdmission.Admit(pod, [Range("""[{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},"defaultRequest":{"cpu":"100m","memory":"128Mi"}}]""")]);

        Assert.Equal("""{"requests":{"cpu":"50m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}}""", pod["spec"]!["containers"]![0]!["resources"]!.ToJsonString());
        Assert.Equal("LimitRanger plugin set: memory request for container app; cpu, memory limit for container app; cpu, memory request for init container setup; cpu, memory limit for init container setup",
            (string?)pod["metadata"]!["annotations"]![LimitRangerAdmission.Annotation]);
    }

    [Fact]
    public void Defaults_RequestsComeFromTheContainersOwnLimitFirst()
    {
        var pod = Pod("""{"limits":{"cpu":"2"}}""");

        LimitRangerAdmission.Admit(pod, [Range("""[{"type":"Container","defaultRequest":{"cpu":"100m"}}]""")]);

        Assert.Equal("2", (string?)pod["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]);
        Assert.Null(pod["metadata"]!["annotations"]);
    }

    [Theory]
    [InlineData("""{"limits":{"cpu":"2"}}""", """[{"type":"Container","max":{"cpu":"1"}}]""", "pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2")]
    [InlineData("""{"requests":{"cpu":"1"}}""", """[{"type":"Container","max":{"cpu":"1"}}]""", "pods \"p\" is forbidden: maximum cpu usage per Container is 1.  No limit is specified")]
    [InlineData("""{}""", """[{"type":"Container","min":{"memory":"64Mi"}}]""", "pods \"p\" is forbidden: minimum memory usage per Container is 64Mi.  No request is specified")]
    [InlineData("""{"requests":{"memory":"10Mi"}}""", """[{"type":"Container","min":{"memory":"64Mi"}}]""", "pods \"p\" is forbidden: minimum memory usage per Container is 64Mi, but request is 10Mi")]
    [InlineData("""{"requests":{"cpu":"100m"},"limits":{"cpu":"1"}}""", """[{"type":"Container","maxLimitRequestRatio":{"cpu":"4"}}]""", "pods \"p\" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000")]
    [InlineData("""{"limits":{"memory":"1Gi"}}""", """[{"type":"Pod","max":{"memory":"1Gi","cpu":"1"}}]""", "pods \"p\" is forbidden: maximum cpu usage per Pod is 1.  No limit is specified")]
    [InlineData("""{"limits":{"cpu":"2","memory":"2Gi"}}""", """[{"type":"Container","max":{"cpu":"1"}},{"type":"Pod","max":{"memory":"1Gi"}}]""", "pods \"p\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Pod is 1Gi, but limit is 2Gi]")]
    public void Violations_Are403WithUpstreamMessage(string resources, string limits, string expected) =>
        Assert.Equal(expected, Forbidden(Pod(resources), Range(limits)));

    [Fact]
    public void PodItems_SumAppContainers_AndTakeTheLargestInitContainer()
    {
        var pod = Parse("""
            {"metadata":{"name":"p"},"spec":{
              "containers":[{"name":"a","resources":{"limits":{"memory":"300Mi"}}},{"name":"b","resources":{"limits":{"memory":"300Mi"}}}],
              "initContainers":[{"name":"i","resources":{"limits":{"memory":"1000Mi"}}}]}}
            """);

        Assert.Equal("pods \"p\" is forbidden: maximum memory usage per Pod is 512Mi, but limit is 1000Mi",
            Forbidden(pod, Range("""[{"type":"Pod","max":{"memory":"512Mi"}}]""")));
    }

    [Fact]
    public async Task ThroughTheRegistry_DefaultLandsInThePod()
    {
        var api = new ApiRegistry(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        await api.CreateAsync(KindRegistry.Namespaces, null, Parse("""{"metadata":{"name":"default"}}"""));
        await api.CreateAsync(KindRegistry.LimitRanges, "default", Range("""[{"type":"Container","default":{"memory":"256Mi"}}]"""));

        var pod = await api.CreateAsync(KindRegistry.Pods, "default", Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"i"}]}}"""));

        Assert.Equal("""{"limits":{"memory":"256Mi"},"requests":{"memory":"256Mi"}}""", pod["spec"]!["containers"]![0]!["resources"]!.ToJsonString());
        Assert.Equal("Burstable", (string?)pod["status"]!["qosClass"]);
    }
}

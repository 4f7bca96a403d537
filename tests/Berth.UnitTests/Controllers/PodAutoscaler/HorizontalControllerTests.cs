using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Controllers.PodAutoscaler;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.PodAutoscaler;

/// <summary>The HPA controller over the real registry: reads the Deployment's scale, the pods and a controllable metrics
/// source; writes the scale, the HPA status and events.</summary>
public sealed class HorizontalControllerTests : IAsyncDisposable
{
    private const string Ns = ControllerHostBase.Ns;

    private readonly HpaHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private sealed class FakeMetrics : IPodMetricsSource
    {
        public ConcurrentDictionary<string, long> MilliCpu { get; } = new();

        public Task<IReadOnlyList<PodMetricsSample>> ListAsync(string ns, LabelSelector selector, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PodMetricsSample>>([.. MilliCpu.Select(p => new PodMetricsSample(p.Key, DateTimeOffset.UtcNow,
                TimeSpan.FromSeconds(10), [new ContainerMetricsSample("app", p.Value, 1 << 20)]))]);
    }

    private sealed class HpaHost() : ControllerHostBase(null)
    {
        public FakeMetrics Metrics { get; } = new();

        public void Run()
        {
            Add(new HorizontalController(Informers, Api, Metrics, Events, Time, NullLogger<HorizontalController>.Instance,
                syncPeriod: TimeSpan.FromMilliseconds(100)));
            StartInformers();
        }
    }

    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    private async Task SetUpAsync(string metrics, bool requests = true, string target = "Deployment", int min = 1, int max = 5)
    {
        await _host.Api.CreateAsync(KindRegistry.Deployments, Ns, Node("""
            {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"i"}]}}}}
            """));
        foreach (var name in (string[])["a", "b"])
        {
            var pod = ReplicaCalculatorTests.Pod(name, requests ? "100m" : null);
            pod["status"]!["startTime"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var created = await _host.Api.CreateAsync(KindRegistry.Pods, Ns, pod);
            created["status"] = pod["status"]!.DeepClone();
            await _host.Api.UpdateAsync(KindRegistry.Pods, Ns, created, "status");
            _host.Metrics.MilliCpu[name] = 90;
        }
        await _host.Api.CreateAsync(KindRegistry.HorizontalPodAutoscalers, Ns, Node($$$"""
            {"metadata":{"name":"web"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"{{{target}}}","name":"web"},
             "minReplicas":{{{min}}},"maxReplicas":{{{max}}},"metrics":{{{metrics}}}}}
            """));
        _host.Run();
    }

    private Task<JsonObject> HpaAsync() => _host.GetAsync(KindRegistry.HorizontalPodAutoscalers, "web");

    [Fact]
    public async Task CpuAboveTarget_ScalesTheDeployment_AndReportsStatusAndEvent()
    {
        await SetUpAsync("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""");

        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.Deployments, "web"))["spec"]!["replicas"]!.GetValue<long>() == 4,
            "90% against 50% on two pods asks for ceil(3.6) = 4");
        await _host.WaitUntilAsync(async () => (await HpaAsync())["status"]?["desiredReplicas"]?.GetValue<long>() == 4, "status written");

        var hpa = await HpaAsync();
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":90,"averageValue":"90m"}}}]""",
            hpa["status"]!["currentMetrics"]!.ToJsonString());
        Assert.NotNull(hpa["status"]!["lastScaleTime"]);
        Assert.Equal("SucceededRescale", HpaConditions.ReasonOf(hpa, HpaConditions.AbleToScale));
        Assert.Equal("ValidMetricFound", HpaConditions.ReasonOf(hpa, HpaConditions.ScalingActive));
        Assert.Equal("DesiredWithinRange", HpaConditions.ReasonOf(hpa, HpaConditions.ScalingLimited));
        var rescale = await _host.Events.WaitForAsync(e => e.Reason == "SuccessfulRescale");
        Assert.Equal("New size: 4; reason: cpu resource utilization (percentage of request) above target", rescale.Message);
    }

    [Fact]
    public async Task PodsWithoutRequests_ScalingActiveFalse_FailedGetResourceMetric()
    {
        await SetUpAsync("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""", requests: false);

        await _host.WaitUntilAsync(async () => HpaConditions.ReasonOf(await HpaAsync(), HpaConditions.ScalingActive) == "FailedGetResourceMetric", "condition set");

        var condition = (await HpaAsync())["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "ScalingActive")!;
        Assert.Equal("False", (string?)condition["status"]);
        Assert.Equal("the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod a",
            (string?)condition["message"]);
        Assert.Equal(2, (await _host.GetAsync(KindRegistry.Deployments, "web"))["spec"]!["replicas"]!.GetValue<long>());
        await _host.Events.WaitForAsync(e => e.Reason == "FailedGetResourceMetric" && e.Type == "Warning");
    }

    [Fact]
    public async Task PodsMetric_IsStoredButNotComputed()
    {
        await SetUpAsync("""[{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}}]""");

        await _host.WaitUntilAsync(async () => HpaConditions.ReasonOf(await HpaAsync(), HpaConditions.ScalingActive) == "FailedGetPodsMetric", "condition set");

        Assert.Equal("""[{"type":""}]""", (await HpaAsync())["status"]!["currentMetrics"]!.ToJsonString());
    }

    private const string Cpu50 = """[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""";

    [Fact]
    public async Task UnknownTargetKind_AbleToScaleFalse_FailedGetScale()
    {
        await SetUpAsync(Cpu50, target: "Rocket");

        await _host.WaitUntilAsync(async () => HpaConditions.ReasonOf(await HpaAsync(), HpaConditions.AbleToScale) == "FailedGetScale", "condition set");

        var e = await _host.Events.WaitForAsync(e => e.Reason == "FailedGetScale");
        Assert.Equal("unable to determine resource for scale target reference: no matches for kind \"Rocket\" in group \"apps\"", e.Message);
    }

    [Fact]
    public async Task ReplicasAboveMax_ScaledDownToMax_WithoutMetrics()
    {
        await SetUpAsync("""[{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}}]""", max: 1);

        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.Deployments, "web"))["spec"]!["replicas"]!.GetValue<long>() == 1,
            "two replicas above maxReplicas 1");
        var rescale = await _host.Events.WaitForAsync(e => e.Reason == "SuccessfulRescale");
        Assert.Equal("New size: 1; reason: Current number of replicas above Spec.MaxReplicas", rescale.Message);
    }
}

using System.Text.Json.Nodes;
using Berth.Controllers.PodAutoscaler;

namespace Berth.UnitTests.Controllers.PodAutoscaler;

/// <summary>GetResourceReplicas semantics: usage over requests of ready pods, tolerance, ceil(ratio × pods), and the
/// treatment of unready pods, missing metrics and missing requests.</summary>
public sealed class ReplicaCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly ResourceMetricQuery Cpu50 = new("cpu", null, 50, null);

    /// <summary>A pod started <paramref name="startedMinutesAgo"/> minutes ago whose Ready condition turned a minute
    /// later, its one container requesting <paramref name="request"/> CPU (none when null).</summary>
    internal static JsonObject Pod(string name, string? request = "100m", string phase = "Running", bool ready = true, int startedMinutesAgo = 10)
    {
        var readyStatus = ready ? "True" : "False";
        var pod = JsonNode.Parse(
            "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\",\"labels\":{\"app\":\"web\"}}," +
            "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"i\"}]}," +
            "\"status\":{\"phase\":\"" + phase + "\",\"startTime\":\"" + Stamp(-startedMinutesAgo) + "\"," +
            "\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + readyStatus + "\",\"lastTransitionTime\":\"" + Stamp(1 - startedMinutesAgo) + "\"}]}}")!.AsObject();
        if (request is not null)
        {
            pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = request, ["memory"] = "64Mi" } };
        }
        return pod;
    }

    private static string Stamp(int minutes) => Now.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    internal static PodMetricsSample Sample(string name, long milliCpu, long memory = 32 << 20) =>
        new(name, Now.AddSeconds(-5), TimeSpan.FromSeconds(10), [new ContainerMetricsSample("app", milliCpu, memory)]);

    [Fact]
    public void AboveTarget_ScalesToCeilOfRatioTimesReadyPods()
    {
        // 90m of 100m on two pods: 90% against 50% → ratio 1.8 → ceil(3.6) = 4.
        var proposal = ReplicaCalculator.Compute(Cpu50, [Pod("a"), Pod("b")], [Sample("a", 90), Sample("b", 90)], 2, Now);

        Assert.Equal(new ResourceProposal(4, 90, 90, Now.AddSeconds(-5)), proposal);
    }

    [Theory]
    [InlineData(54, 2)] // ratio 1.08: within the 0.1 tolerance
    [InlineData(46, 2)] // ratio 0.92
    [InlineData(56, 3)] // ratio 1.12 → ceil(2.24)
    [InlineData(10, 1)] // ratio 0.2 → ceil(0.4)
    public void Tolerance_SmallChangesKeepTheCount(long milliCpu, int expected) =>
        Assert.Equal(expected, ReplicaCalculator.Compute(Cpu50, [Pod("a"), Pod("b")], [Sample("a", milliCpu), Sample("b", milliCpu)], 2, Now).Replicas);

    [Fact]
    public void AverageValueTarget_UsesRawUsage()
    {
        var memory = new ResourceMetricQuery("memory", null, null, (64L << 20) * 1000);

        var proposal = ReplicaCalculator.Compute(memory, [Pod("a")], [Sample("a", 1, 128L << 20)], 1, Now);

        Assert.Equal(2, proposal.Replicas);
        Assert.Null(proposal.Utilization);
    }

    [Fact]
    public void MissingRequest_IsAnError_WithUpstreamMessage()
    {
        var e = Assert.Throws<MetricUnavailableException>(() =>
            ReplicaCalculator.Compute(Cpu50, [Pod("a"), Pod("b", request: null)], [Sample("a", 90), Sample("b", 90)], 2, Now));

        Assert.Equal("missing request for cpu in container app of Pod b", e.Message);
    }

    [Fact]
    public void NoMetrics_IsAnError()
    {
        var e = Assert.Throws<MetricUnavailableException>(() => ReplicaCalculator.Compute(Cpu50, [Pod("a")], [], 1, Now));

        Assert.Equal("unable to get metrics for resource cpu: no metrics returned from resource metrics API", e.Message);
    }

    [Fact]
    public void UnreadyAndPendingPods_CountAsZeroOnAScaleUp()
    {
        // Ready pod at 200%: ratio 4. With the unready and the pending pod at 0: (200+0+0)/300 = 66% → ratio 1.33 → ceil(4) = 4.
        var pods = new[] { Pod("a"), Pod("b", ready: false, startedMinutesAgo: 2), Pod("c", phase: "Pending") };

        var proposal = ReplicaCalculator.Compute(Cpu50, pods, [Sample("a", 200), Sample("b", 200)], 3, Now);

        Assert.Equal(4, proposal.Replicas);
        Assert.Equal(200, proposal.Utilization);
    }

    [Fact]
    public void MissingMetrics_CountAsFullRequestOnAScaleDown()
    {
        // Measured pod at 10%: ratio 0.2. The missing pod at 100% of request: 55% → ratio 1.1, a change of direction: keep 2.
        var proposal = ReplicaCalculator.Compute(Cpu50, [Pod("a"), Pod("b")], [Sample("a", 10)], 2, Now);

        Assert.Equal(2, proposal.Replicas);
    }

    [Fact]
    public void ContainerResource_CountsOnlyThatContainer()
    {
        var sample = new PodMetricsSample("a", Now.AddSeconds(-5), TimeSpan.FromSeconds(10),
            [new ContainerMetricsSample("app", 100, 0), new ContainerMetricsSample("sidecar", 900, 0)]);
        var query = new ResourceMetricQuery("cpu", "app", 50, null);

        Assert.Equal(2, ReplicaCalculator.Compute(query, [Pod("a")], [sample], 1, Now).Replicas);
    }
}

using Berth.ApiServer.ResourceMetrics;
using Berth.Machinery.Meta;

namespace Berth.UnitTests.ApiServer.ResourceMetrics;

public sealed class MetricsObjectsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(950, "950ms")]
    [InlineData(10_002, "10.002s")]
    [InlineData(15_000, "15s")]
    [InlineData(65_500, "1m5.5s")]
    [InlineData(3_600_000, "1h0m0s")]
    public void GoDuration_Milliseconds_FormatsAsGo(long ms, string expected) =>
        Assert.Equal(expected, MetricsObjects.GoDuration(TimeSpan.FromMilliseconds(ms)));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1_234_567, "1234567n")]
    [InlineData(2_000, "2u")]
    [InlineData(250_000_000, "250m")]
    [InlineData(2_000_000_000, "2")]
    public void DecimalNano_Counts_Canonical(long nanos, string expected) => Assert.Equal(expected, QuantityFormat.DecimalNano(nanos));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1000, "1000")]
    [InlineData(19_349_504, "18896Ki")]
    [InlineData(1L << 31, "2Gi")]
    public void Binary_Bytes_Canonical(long bytes, string expected) => Assert.Equal(expected, QuantityFormat.Binary(bytes));

    [Fact]
    public void Pod_Usage_HasMetricsServerShape()
    {
        var usage = new PodUsage("default", "web-1", new Dictionary<string, string> { ["app"] = "web" }, Now, TimeSpan.FromSeconds(5),
            [new ContainerUsage("web", 2_013_955, 19_349_504), new ContainerUsage("sidecar", 0, 4096)]);

        var pod = MetricsObjects.Pod(usage, Now);

        Assert.Equal("PodMetrics", (string?)pod["kind"]);
        Assert.Equal("metrics.k8s.io/v1beta1", (string?)pod["apiVersion"]);
        Assert.Equal("web-1", (string?)pod["metadata"]!["name"]);
        Assert.Equal("default", (string?)pod["metadata"]!["namespace"]);
        Assert.Equal("web", (string?)pod["metadata"]!["labels"]!["app"]);
        Assert.Equal("2026-11-28T18:00:00Z", (string?)pod["timestamp"]);
        Assert.Equal("5s", (string?)pod["window"]);
        Assert.Equal("2013955n", (string?)pod["containers"]![0]!["usage"]!["cpu"]);
        Assert.Equal("18896Ki", (string?)pod["containers"]![0]!["usage"]!["memory"]);
        Assert.Equal("sidecar", (string?)pod["containers"]![1]!["name"]);
    }

    [Fact]
    public void Node_Usage_HasUsageAndNoNamespace()
    {
        var node = MetricsObjects.Node(new NodeUsage("vm", Now, TimeSpan.FromSeconds(3), 1_500_000_000, 1L << 30),
            new Dictionary<string, string>(), Now);

        Assert.Equal("NodeMetrics", (string?)node["kind"]);
        Assert.Null(node["metadata"]!["namespace"]);
        Assert.Null(node["metadata"]!["labels"]);
        Assert.Equal("1500m", (string?)node["usage"]!["cpu"]);
        Assert.Equal("1Gi", (string?)node["usage"]!["memory"]);
    }
}

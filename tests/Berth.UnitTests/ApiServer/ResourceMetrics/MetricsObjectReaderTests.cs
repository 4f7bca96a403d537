using Berth.ApiServer.ResourceMetrics;

namespace Berth.UnitTests.ApiServer.ResourceMetrics;

public sealed class MetricsObjectReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0s", 0)]
    [InlineData("950ms", 950)]
    [InlineData("10.002s", 10_002)]
    [InlineData("1m5.5s", 65_500)]
    [InlineData("1h0m0s", 3_600_000)]
    public void GoDuration_GoText_Parses(string text, long ms) =>
        Assert.Equal(TimeSpan.FromMilliseconds(ms), MetricsObjectReader.GoDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("s")]
    public void GoDuration_Malformed_Null(string text) => Assert.Null(MetricsObjectReader.GoDuration(text));

    [Fact]
    public void Pod_WhatMetricsObjectsWrote_ReadsBack()
    {
        var usage = new PodUsage("default", "web-1", new Dictionary<string, string> { ["app"] = "web" }, Now, TimeSpan.FromMilliseconds(4070),
            [new ContainerUsage("web", 2_013_955, 19_349_504), new ContainerUsage("log", 250_000_000, 1000)]);

        var read = MetricsObjectReader.Pod(MetricsObjects.Pod(usage, Now))!;

        Assert.Equal((usage.Namespace, usage.Name, usage.Timestamp, usage.Window), (read.Namespace, read.Name, read.Timestamp, read.Window));
        Assert.Equal(usage.Labels, read.Labels);
        Assert.Equal(usage.Containers, read.Containers);
    }

    [Fact]
    public void Node_WhatMetricsObjectsWrote_ReadsBack()
    {
        var usage = new NodeUsage("node-b", Now, TimeSpan.FromSeconds(3), 1_944_094_665, 1_184_522_240);

        Assert.Equal(usage, MetricsObjectReader.Node(MetricsObjects.Node(usage, new Dictionary<string, string>(), Now)));
    }

    [Fact]
    public void Pod_NoNamespaceOrBadQuantity_NullOrContainerLeftOut()
    {
        var pod = MetricsObjects.Pod(new PodUsage("default", "x", new Dictionary<string, string>(), Now, TimeSpan.FromSeconds(1),
            [new ContainerUsage("a", 1, 1)]), Now);
        pod["containers"]![0]!["usage"]!["cpu"] = "lots";
        Assert.Empty(MetricsObjectReader.Pod(pod)!.Containers);

        pod["metadata"]!.AsObject().Remove("namespace");
        Assert.Null(MetricsObjectReader.Pod(pod));
    }
}

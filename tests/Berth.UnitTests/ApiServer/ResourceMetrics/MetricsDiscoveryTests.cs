using System.Text.Json.Nodes;
using Berth.ApiServer.Discovery;
using Berth.ApiServer.ResourceMetrics;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.ApiServer.ResourceMetrics;

/// <summary>kubectl top finds the metrics API through discovery; it must list get and list only.</summary>
public sealed class MetricsDiscoveryTests
{
    private static readonly DiscoveryDocuments Documents = new([.. KindRegistry.AllKinds, .. MetricsKinds.All]);

    [Fact]
    public void AggregatedV2_MetricsGroup_ReadOnlyVerbs()
    {
        var list = JsonNode.Parse(Documents.NamedGroups(DiscoveryFormat.AggregatedV2))!.AsObject();
        var group = list["items"]!.AsArray().Single(g => (string?)g!["metadata"]!["name"] == "metrics.k8s.io")!;
        var version = Assert.Single(group["versions"]!.AsArray())!;
        Assert.Equal("v1beta1", (string?)version["version"]);
        var resources = version["resources"]!.AsArray().ToDictionary(r => (string)r!["resource"]!, r => r!);
        Assert.Equal("Cluster", (string?)resources["nodes"]["scope"]);
        Assert.Equal("Namespaced", (string?)resources["pods"]["scope"]);
        Assert.Equal("PodMetrics", (string?)resources["pods"]["responseKind"]!["kind"]);
        Assert.Equal(["get", "list"], resources["pods"]["verbs"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public void LegacyResourceList_MetricsGroup_ReadOnlyVerbs_StoredKindsKeepAll()
    {
        var metrics = LegacyDiscovery.ResourceList(Documents.Kinds, "metrics.k8s.io", "v1beta1")!;
        Assert.All(metrics.Resources, r => Assert.Equal(["get", "list"], r.Verbs));
        var core = LegacyDiscovery.ResourceList(Documents.Kinds, "", "v1")!;
        Assert.Equal(ResourceKind.AllVerbs, core.Resources.Single(r => r.Name == "pods").Verbs);
    }
}

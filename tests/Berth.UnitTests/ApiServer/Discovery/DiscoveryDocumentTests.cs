using System.Text.Json.Nodes;
using Berth.ApiServer.Discovery;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.ApiServer.Discovery;

public sealed class DiscoveryDocumentTests
{
    private static readonly DiscoveryDocuments Documents = new(KindRegistry.AllKinds);

    private static JsonObject Parse(byte[] body) => JsonNode.Parse(body)!.AsObject();

    private static JsonObject Resource(JsonObject list, string name) =>
        list["items"]!.AsArray().SelectMany(g => g!["versions"]!.AsArray()).SelectMany(v => v!["resources"]!.AsArray())
            .Single(r => (string?)r!["resource"] == name)!.AsObject();

    [Fact]
    public void LegacyGroup_V2_HasCoreItemWithPods()
    {
        var list = Parse(Documents.LegacyGroup(DiscoveryFormat.AggregatedV2));
        Assert.Equal("apidiscovery.k8s.io/v2", (string?)list["apiVersion"]);
        Assert.Equal("APIGroupDiscoveryList", (string?)list["kind"]);
        var item = Assert.Single(list["items"]!.AsArray());
        Assert.Equal("", (string?)item!["metadata"]!["name"]);
        var pods = Resource(list, "pods");
        Assert.Equal("Namespaced", (string?)pods["scope"]);
        Assert.Equal("pod", (string?)pods["singularResource"]);
        Assert.Equal(["po"], pods["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["all"], pods["categories"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("Pod", (string?)pods["responseKind"]!["kind"]);
        Assert.Equal("v1", (string?)pods["responseKind"]!["version"]);
    }

    [Fact]
    public void LegacyGroup_V2Beta1_DiffersOnlyInApiVersion()
    {
        var v2 = Parse(Documents.LegacyGroup(DiscoveryFormat.AggregatedV2));
        var beta = Parse(Documents.LegacyGroup(DiscoveryFormat.AggregatedV2Beta1));
        Assert.Equal("apidiscovery.k8s.io/v2beta1", (string?)beta["apiVersion"]);
        beta["apiVersion"] = "apidiscovery.k8s.io/v2";
        Assert.True(JsonNode.DeepEquals(v2, beta));
    }

    [Fact]
    public void NamedGroups_ListsEveryGroupInRegistryOrder()
    {
        var list = Parse(Documents.NamedGroups(DiscoveryFormat.AggregatedV2));
        var names = list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToList();
        var expected = KindRegistry.AllKinds.Where(k => k.Group.Length > 0).Select(k => k.Group).Distinct().ToList();
        Assert.Equal(expected, names);
    }

    [Fact]
    public void ServedKinds_AutoscalingListsV2ThenV1_BothWithHorizontalPodAutoscalersAndStatus()
    {
        var served = new DiscoveryDocuments(KindRegistry.ServedKinds);
        var list = Parse(served.NamedGroups(DiscoveryFormat.AggregatedV2));
        var autoscaling = list["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "autoscaling")!;
        var versions = autoscaling["versions"]!.AsArray();

        Assert.Equal(["v2", "v1"], versions.Select(v => (string)v!["version"]!));
        foreach (var version in versions)
        {
            var hpa = Assert.Single(version!["resources"]!.AsArray())!;
            Assert.Equal("horizontalpodautoscalers", (string?)hpa["resource"]);
            Assert.Equal((string?)version["version"], (string?)hpa["responseKind"]!["version"]);
            Assert.Equal("status", (string?)hpa["subresources"]![0]!["subresource"]);
        }
        var legacy = LegacyDiscovery.Group(KindRegistry.ServedKinds, "autoscaling")!;
        Assert.Equal("autoscaling/v2", legacy.PreferredVersion.GroupVersion);
        Assert.Equal(["autoscaling/v2", "autoscaling/v1"], legacy.Versions.Select(v => v.GroupVersion));
    }

    [Fact]
    public void Aggregated_EveryResourceAndSubresource_HasResponseKind()
    {
        foreach (var format in new[] { DiscoveryFormat.AggregatedV2, DiscoveryFormat.AggregatedV2Beta1 })
        {
            foreach (var body in new[] { Documents.LegacyGroup(format), Documents.NamedGroups(format) })
            {
                var resources = Parse(body)["items"]!.AsArray().SelectMany(g => g!["versions"]!.AsArray())
                    .SelectMany(v => v!["resources"]!.AsArray());
                foreach (var resource in resources)
                {
                    Assert.False(string.IsNullOrEmpty((string?)resource!["responseKind"]?["kind"]), (string?)resource["resource"]);
                    foreach (var sub in resource["subresources"]?.AsArray() ?? [])
                    {
                        Assert.False(string.IsNullOrEmpty((string?)sub!["responseKind"]?["kind"]), (string?)sub["subresource"]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Aggregated_DeploymentScale_IsAutoscalingV1Scale()
    {
        var deployments = Resource(Parse(Documents.NamedGroups(DiscoveryFormat.AggregatedV2)), "deployments");
        var scale = deployments["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "scale")!;
        Assert.Equal("autoscaling", (string?)scale["responseKind"]!["group"]);
        Assert.Equal("v1", (string?)scale["responseKind"]!["version"]);
        Assert.Equal("Scale", (string?)scale["responseKind"]!["kind"]);
    }

    [Theory]
    [InlineData("status", "", "Pod")]
    [InlineData("binding", "", "Binding")]
    [InlineData("eviction", "policy", "Eviction")]
    [InlineData("log", "", "Pod")]
    [InlineData("exec", "", "PodExecOptions")]
    [InlineData("attach", "", "PodAttachOptions")]
    [InlineData("portforward", "", "PodPortForwardOptions")]
    public void Aggregated_PodSubresources_HaveUpstreamKinds(string subresource, string group, string kind)
    {
        var pods = Resource(Parse(Documents.LegacyGroup(DiscoveryFormat.AggregatedV2)), "pods");
        var sub = pods["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == subresource)!;
        Assert.Equal(group, (string?)sub["responseKind"]!["group"]);
        Assert.Equal(kind, (string?)sub["responseKind"]!["kind"]);
    }

    [Fact]
    public void SubresourceCatalog_EveryRegisteredSubresource_IsDescribed()
    {
        foreach (var kind in KindRegistry.AllKinds)
        {
            Assert.Equal(kind.Subresources.Count, SubresourceCatalog.For(kind).Count());
        }
        Assert.Equal("NodeProxyOptions", SubresourceCatalog.Describe(KindRegistry.Nodes, "proxy").Kind);
        Assert.Equal("ServiceProxyOptions", SubresourceCatalog.Describe(KindRegistry.Services, "proxy").Kind);
        Assert.Equal("Namespace", SubresourceCatalog.Describe(KindRegistry.Namespaces, "finalize").Kind);
    }

    [Fact]
    public void SubresourceCatalog_UnknownName_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => SubresourceCatalog.Describe(KindRegistry.Pods, "frobnicate"));
    }

    [Fact]
    public void ResourceList_CoreV1_HasSubresourceEntriesWithKinds()
    {
        var list = LegacyDiscovery.ResourceList(KindRegistry.AllKinds, "", "v1")!;
        Assert.Equal("v1", list.GroupVersion);
        var log = list.Resources.Single(r => r.Name == "pods/log");
        Assert.Equal("Pod", log.Kind);
        Assert.True(log.Namespaced);
        Assert.Equal(["get"], log.Verbs);
        var eviction = list.Resources.Single(r => r.Name == "pods/eviction");
        Assert.Equal(("policy", "v1", "Eviction"), (eviction.Group, eviction.Version, eviction.Kind));
        var namespaces = list.Resources.Single(r => r.Name == "namespaces");
        Assert.False(namespaces.Namespaced);
        Assert.Equal(["ns"], namespaces.ShortNames);
    }

    [Fact]
    public void ResourceList_AppsV1_ScaleIsAutoscaling()
    {
        var list = LegacyDiscovery.ResourceList(KindRegistry.AllKinds, "apps", "v1")!;
        Assert.Equal("apps/v1", list.GroupVersion);
        var scale = list.Resources.Single(r => r.Name == "deployments/scale");
        Assert.Equal(("autoscaling", "v1", "Scale"), (scale.Group, scale.Version, scale.Kind));
        Assert.Equal(["get", "patch", "update"], scale.Verbs);
        var status = list.Resources.Single(r => r.Name == "deployments/status");
        Assert.Null(status.Group);
        Assert.Equal("Deployment", status.Kind);
    }

    [Fact]
    public void ResourceList_UnknownGroupVersion_IsNull()
    {
        Assert.Null(LegacyDiscovery.ResourceList(KindRegistry.AllKinds, "apps", "v2"));
        Assert.Null(LegacyDiscovery.Group(KindRegistry.AllKinds, "nope.example.com"));
    }

    [Fact]
    public void GroupList_HasPreferredVersionPerGroup()
    {
        var groups = LegacyDiscovery.GroupList(KindRegistry.AllKinds);
        var apps = groups.Groups.Single(g => g.Name == "apps");
        Assert.Equal("apps/v1", apps.PreferredVersion.GroupVersion);
        Assert.DoesNotContain(groups.Groups, g => g.Name.Length == 0);
    }
}

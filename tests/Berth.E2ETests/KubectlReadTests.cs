using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>Discovery and read paths through the real kubectl (issue 2 §5: version, api-resources, get variants).</summary>
[Trait("Category", "E2E")]
public sealed class KubectlReadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task Version_ReportsMinor32()
    {
        var json = JsonNode.Parse(await K.OkAsync("version -o json"))!;
        Assert.Equal("1", (string?)json["serverVersion"]!["major"]);
        Assert.Equal("32", (string?)json["serverVersion"]!["minor"]);
    }

    [Fact]
    public async Task ApiResources_ListsEveryServedGroup()
    {
        var output = await K.OkAsync("api-resources");
        foreach (var expected in new[] { "pods", "deployments", "replicasets", "endpointslices", "leases", "jobs", "poddisruptionbudgets", "namespaces" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", output);
    }

    [Fact]
    public async Task ApiResourcesWide_NamespacesHaveNoDeleteCollection()
    {
        var output = await K.OkAsync("api-resources -o wide");
        Assert.Matches(@"namespaces\s+ns\s+v1\s+false\s+Namespace\s+create,delete,get,list,patch,update,watch\s", output);
        Assert.Matches(@"configmaps\s+cm\s+v1\s+true\s+ConfigMap\s+create,delete,deletecollection,get,list,patch,update,watch", output);
    }

    [Fact]
    public async Task Get_UnsupportedFieldSelector_WordedPerKindAsACluster()
    {
        var configMaps = await K.RunAsync("get cm --field-selector bogus=1");
        Assert.NotEqual(0, configMaps.ExitCode);
        Assert.Contains("\"bogus\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", configMaps.Stderr, StringComparison.Ordinal);
        var pods = await K.RunAsync("get pods --field-selector bogus=1");
        Assert.Contains("field label not supported: bogus", pods.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TableWideYamlJsonAllNamespacesAndLabels_RenderLikeACluster()
    {
        var ns = await fixture.NewNamespaceAsync("read");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "web"));

        var table = await K.OkAsync($"get pods -n {ns}");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", table);
        Assert.Matches(@"web\s+0/1\s+Pending\s+0\s+\d+s", table);

        var wide = await K.OkAsync($"get pods -n {ns} -o wide");
        Assert.Matches(@"IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES", wide);

        var yaml = await K.OkAsync($"get pod web -n {ns} -o yaml");
        Assert.Contains("terminationGracePeriodSeconds: 30", yaml, StringComparison.Ordinal);
        Assert.Contains("protocol: TCP", yaml, StringComparison.Ordinal);

        var json = JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -o json"))!;
        Assert.Equal("List", (string?)json["kind"]);
        Assert.Equal("Pod", (string?)json["items"]![0]!["kind"]);

        var all = await K.OkAsync("get pods -A");
        Assert.Matches($@"{ns}\s+web\s+0/1\s+Pending", all);

        var labels = await K.OkAsync($"get pods -n {ns} --show-labels");
        Assert.Contains("app=web", labels, StringComparison.Ordinal);

        var selected = await K.RunAsync($"get pods -n {ns} -l app=other");
        Assert.Contains("No resources found", selected.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWatch_StreamsRowsForChanges()
    {
        var ns = await fixture.NewNamespaceAsync("watch");
        await using var watch = K.Start($"get pods -n {ns} -w");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "w1"));
        await AsyncTestHelpers.WaitUntilAsync(() => watch.Lines.Any(l => l.StartsWith("w1", StringComparison.Ordinal)),
            because: "the new pod appears in the watch");
        await K.OkAsync($"label pod w1 -n {ns} tier=front");
        await AsyncTestHelpers.WaitUntilAsync(() => watch.Lines.Count(l => l.StartsWith("w1", StringComparison.Ordinal)) >= 2,
            because: "kubectl get -w printed a row for the update");
        Assert.False(watch.HasExited, "get -w must stay open");
    }

    [Fact]
    public async Task Auth_CanIListAndWhoami_TheAdministratorMayDoEverything()
    {
        Assert.Equal("yes\n", await K.OkAsync("auth can-i delete pods -n kube-system"));
        Assert.Matches(@"\*\.\*\s+\[\]\s+\[\]\s+\[\*\]", await K.OkAsync("auth can-i --list"));
        var whoami = await K.OkAsync("auth whoami");
        Assert.Matches(@"Username\s+berth-admin", whoami);
        Assert.Matches(@"Groups\s+\[system:masters system:authenticated\]", whoami);
    }
}

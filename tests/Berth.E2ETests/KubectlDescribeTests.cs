using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>describe with events, kubectl events, and namespace deletion through kubectl.</summary>
[Trait("Category", "E2E")]
public sealed class KubectlDescribeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task Describe_ShowsEventsOfThePod_AndEventsListsThem()
    {
        var ns = await fixture.NewNamespaceAsync("desc");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "d1", "ghost-node"));
        var uid = (string?)JsonNode.Parse(await K.OkAsync($"get pod d1 -n {ns} -o json"))!["metadata"]!["uid"];
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var ev = $$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"d1.1","namespace":"{{ns}}"},
             "involvedObject":{"kind":"Pod","namespace":"{{ns}}","name":"d1","uid":"{{uid}}","apiVersion":"v1","fieldPath":"spec.containers{app}"},
             "reason":"Pulled","message":"Container image \"busybox:1.36\" already present on machine",
             "source":{"component":"kubelet","host":"ghost-node"},"firstTimestamp":"{{now}}","lastTimestamp":"{{now}}",
             "count":1,"type":"Normal","reportingComponent":"kubelet","reportingInstance":"ghost-node"}
            """;
        await K.OkAsync("create -f -", ev);
        var describe = await K.OkAsync($"describe pod d1 -n {ns}");
        Assert.Contains("Events:", describe, StringComparison.Ordinal);
        Assert.Matches(@"Normal\s+Pulled\s+\S+\s+kubelet\s+Container image ""busybox:1.36"" already present on machine", describe);
        Assert.Contains("Node:", describe, StringComparison.Ordinal);

        var events = await K.OkAsync($"events -n {ns}");
        Assert.Contains("Pulled", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteNamespace_GoesThroughTerminatingAndRemovesContents()
    {
        var ns = await fixture.NewNamespaceAsync("nsdel");
        await K.OkAsync("apply -f -", Manifests.ConfigMap(ns, "inner", "x"));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get serviceaccount default -n {ns}")).ExitCode == 0,
            because: "the default ServiceAccount is created in every namespace");
        Assert.Contains($"namespace \"{ns}\" deleted", await K.OkAsync($"delete namespace {ns} --timeout=60s"), StringComparison.Ordinal);
        Assert.Contains("not found", (await K.RunAsync($"get ns {ns}")).Stderr, StringComparison.Ordinal);
        var list = JsonNode.Parse(await K.OkAsync("get configmaps -A -o json"))!;
        Assert.DoesNotContain(list["items"]!.AsArray(), i => (string?)i!["metadata"]!["namespace"] == ns);
    }
}

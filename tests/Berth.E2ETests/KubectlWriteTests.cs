using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>Writes through the real kubectl: create, apply (client and server side), replace, patch, label, annotate.</summary>
[Trait("Category", "E2E")]
public sealed class KubectlWriteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task CreateThenApplyThreeTimes_CreatedUnchangedConfigured()
    {
        var ns = await fixture.NewNamespaceAsync("apply");
        Assert.Contains("configmap/c1 created", await K.OkAsync("create -f -", Manifests.ConfigMap(ns, "c1", "v1")), StringComparison.Ordinal);
        var dup = await K.RunAsync("create -f -", Manifests.ConfigMap(ns, "c1", "v1"));
        Assert.Contains("AlreadyExists", dup.Stderr, StringComparison.Ordinal);

        Assert.Contains("pod/web created", await K.OkAsync("apply -f -", Manifests.Pod(ns, "web")), StringComparison.Ordinal);
        Assert.Contains("pod/web unchanged", await K.OkAsync("apply -f -", Manifests.Pod(ns, "web")), StringComparison.Ordinal);
        Assert.Contains("pod/web configured", await K.OkAsync("apply -f -", Manifests.Pod(ns, "web", labels: "app: web, tier: front")), StringComparison.Ordinal);
        Assert.Equal("front", (await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.metadata.labels.tier}}")).Trim());
    }

    [Fact]
    public async Task CreateAndApply_KindList_CreatesEveryItemAndValidatesStrictly()
    {
        var ns = await fixture.NewNamespaceAsync("list");
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(ListItem(ns, "l1"), ListItem(ns, "l2")),
        };
        var created = await K.OkAsync("create -f -", list.ToJsonString());
        Assert.Contains("configmap/l1 created", created, StringComparison.Ordinal);
        Assert.Contains("configmap/l2 created", created, StringComparison.Ordinal);
        var applied = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(ListItem(ns, "a1"), ListItem(ns, "a2")),
        }.ToJsonString();
        Assert.Contains("configmap/a2 created", await K.OkAsync("apply -f -", applied), StringComparison.Ordinal);
        Assert.Contains("configmap/a2 unchanged", await K.OkAsync("apply -f -", applied), StringComparison.Ordinal);

        var unknownField = ListItem(ns, "l3");
        unknownField["bogus"] = "x";
        var rejected = await K.RunAsync("create -f -", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(unknownField),
        }.ToJsonString());
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("unknown field \"bogus\"", rejected.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await K.RunAsync($"get cm l3 -n {ns}")).ExitCode);
    }

    private static JsonObject ListItem(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = "v" },
    };

    [Fact]
    public async Task ApplyServerSide_CreatesAndRecordsManagedFields()
    {
        var ns = await fixture.NewNamespaceAsync("ssa");
        Assert.Contains("serverside-applied", await K.OkAsync("apply --server-side -f -", Manifests.ConfigMap(ns, "s1", "a")), StringComparison.Ordinal);
        Assert.Contains("serverside-applied", await K.OkAsync("apply --server-side -f -", Manifests.ConfigMap(ns, "s1", "b")), StringComparison.Ordinal);
        var obj = JsonNode.Parse(await K.OkAsync($"get cm s1 -n {ns} -o json --show-managed-fields"))!;
        Assert.Equal("b", (string?)obj["data"]!["k"]);
        Assert.Contains("kubectl", obj["metadata"]!["managedFields"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyServerSide_LabelAndDataKeyDroppedFromManifest_AreRemoved()
    {
        var ns = await fixture.NewNamespaceAsync("ssadrop");
        string Manifest(string labels, string data) =>
            $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d1\n  namespace: {ns}\n  labels: {{{labels}}}\ndata: {{{data}}}\n";
        await K.OkAsync("apply --server-side -f -", Manifest("a: '1', b: '2'", "k: v, gone: v"));
        await K.OkAsync("apply --server-side -f -", Manifest("a: '1'", "k: v"));
        var obj = JsonNode.Parse(await K.OkAsync($"get cm d1 -n {ns} -o json"))!;
        Assert.Equal("""{"a":"1"}""", obj["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""{"k":"v"}""", obj["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_IsConflict()
    {
        var ns = await fixture.NewNamespaceAsync("replace");
        await K.OkAsync("apply -f -", Manifests.ConfigMap(ns, "r1", "a"));
        var stale = JsonNode.Parse(await K.OkAsync($"get cm r1 -n {ns} -o json"))!.AsObject();
        await K.OkAsync($"label cm r1 -n {ns} bump=1");
        stale["data"]!["k"] = "b";
        var result = await K.RunAsync("replace -f -", stale.ToJsonString());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Conflict", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", result.Stderr, StringComparison.Ordinal);

        var fresh = JsonNode.Parse(await K.OkAsync($"get cm r1 -n {ns} -o json"))!.AsObject();
        fresh["data"]!["k"] = "c";
        Assert.Contains("configmap/r1 replaced", await K.OkAsync("replace -f -", fresh.ToJsonString()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_EveryType_LabelAndAnnotate()
    {
        var ns = await fixture.NewNamespaceAsync("patch");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "p1"));
        await K.OkAsync($"patch pod p1 -n {ns} -p '{{\"spec\":{{\"containers\":[{{\"name\":\"app\",\"image\":\"busybox:1.37\"}}]}}}}'");
        await K.OkAsync($"patch pod p1 -n {ns} --type=merge -p '{{\"metadata\":{{\"labels\":{{\"m\":\"1\"}}}}}}'");
        await K.OkAsync($"patch pod p1 -n {ns} --type=json -p '[{{\"op\":\"add\",\"path\":\"/metadata/labels/j\",\"value\":\"2\"}}]'");
        await K.OkAsync($"label pod p1 -n {ns} l=3");
        await K.OkAsync($"annotate pod p1 -n {ns} note=hello");
        var pod = JsonNode.Parse(await K.OkAsync($"get pod p1 -n {ns} -o json"))!;
        Assert.Equal("busybox:1.37", (string?)pod["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("sleep", (string?)pod["spec"]!["containers"]![0]!["command"]![0]);
        Assert.Equal("1", (string?)pod["metadata"]!["labels"]!["m"]);
        Assert.Equal("2", (string?)pod["metadata"]!["labels"]!["j"]);
        Assert.Equal("3", (string?)pod["metadata"]!["labels"]!["l"]);
        Assert.Equal("hello", (string?)pod["metadata"]!["annotations"]!["note"]);

        var bad = await K.RunAsync($"patch pod p1 -n {ns} --type=json -p '[{{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"other\"}}]'");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.DoesNotContain("InternalError", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidPod_ShowsFieldPathsLikeACluster()
    {
        var ns = await fixture.NewNamespaceAsync("invalid");
        var bad = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad","namespace":"{{{ns}}}"},"spec":{"containers":[]}}""";
        var result = await K.RunAsync("create -f -", bad);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Pod \"bad\" is invalid: spec.containers: Required value", result.Stderr, StringComparison.Ordinal);
    }
}

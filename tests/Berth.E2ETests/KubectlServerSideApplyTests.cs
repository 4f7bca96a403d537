using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>Server-side apply field-manager conflicts through the real kubectl: scale, conflict, force, shared ownership.</summary>
[Trait("Category", "E2E")]
public sealed class KubectlServerSideApplyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task ApplyAfterScale_ConflictsUntilForced_ThenASecondApplierConflictsOnlyOnChangedFields()
    {
        var ns = await fixture.NewNamespaceAsync("ssaconf");
        Assert.Contains("serverside-applied", await K.OkAsync("apply --server-side -f -", Deployment(ns, 1)), StringComparison.Ordinal);
        Assert.Contains("scaled", await K.OkAsync($"scale deploy web -n {ns} --replicas=2"), StringComparison.Ordinal);

        var conflict = await K.RunAsync("apply --server-side -f -", Deployment(ns, 3));
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas",
            conflict.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force-conflicts", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await Get(ns))["spec"]!["replicas"]!.GetValue<int>());

        await K.OkAsync("apply --server-side --force-conflicts -f -", Deployment(ns, 3));
        var forced = await Get(ns);
        Assert.Equal(3, forced["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(["kubectl/Apply"], Managers(forced));

        var other = await K.RunAsync("apply --server-side --field-manager=other -f -", Deployment(ns, 1));
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("error: Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas", other.Stderr, StringComparison.Ordinal);

        await K.OkAsync("apply --server-side --field-manager=other -f -", Deployment(ns, 3));
        var shared = await Get(ns);
        Assert.Equal(["kubectl/Apply", "other/Apply"], Managers(shared));
        Assert.All(shared["metadata"]!["managedFields"]!.AsArray(), e => Assert.NotNull(e!["fieldsV1"]!["f:spec"]!["f:replicas"]));
    }

    [Fact]
    public async Task ApplyOverALabelSetByKubectlLabel_NamesTheUpdaterAndItsApiVersion()
    {
        var ns = await fixture.NewNamespaceAsync("ssalabel");
        string Manifest(string tier) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: {ns}\n  labels: {{tier: {tier}}}\ndata: {{k: v}}\n";
        await K.OkAsync("apply --server-side -f -", Manifest("a"));
        await K.OkAsync($"label cm c -n {ns} tier=b --overwrite");
        var conflict = await K.RunAsync("apply --server-side -f -", Manifest("c"));
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("conflict with \"kubectl-label\" using v1: .metadata.labels.tier", conflict.Stderr, StringComparison.Ordinal);
        await K.OkAsync("apply --server-side -f -", Manifest("b"));
    }

    [Fact]
    public async Task ApplyWithoutAnEnvEntryAndAContainer_RemovesThem()
    {
        var ns = await fixture.NewNamespaceAsync("ssalist");
        const string Side = "\n      - name: side\n        image: busybox:1.36";
        await K.OkAsync("apply --server-side -f -", Deployment(ns, 1, "\n        env: [{name: A, value: '1'}, {name: B, value: '2'}]" + Side));
        await K.OkAsync("apply --server-side -f -", Deployment(ns, 1, "\n        env: [{name: A, value: '1'}]"));
        var web = Assert.Single((await Get(ns))["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;
        Assert.Equal("""[{"name":"A","value":"1"}]""", web["env"]!.ToJsonString());
    }

    [Fact]
    public async Task ServerSideApplyAfterClientSideApply_TakesOverChangedFieldsWithoutConflict()
    {
        var ns = await fixture.NewNamespaceAsync("ssacsa");
        await K.OkAsync("apply -f -", Manifests.ConfigMap(ns, "m", "a"));
        Assert.Contains("serverside-applied", await K.OkAsync("apply --server-side -f -", Manifests.ConfigMap(ns, "m", "b")), StringComparison.Ordinal);
        var obj = JsonNode.Parse(await K.OkAsync($"get cm m -n {ns} -o json --show-managed-fields"))!.AsObject();
        Assert.Equal("b", (string?)obj["data"]!["k"]);
        Assert.Contains("kubectl/Apply", Managers(obj));
        Assert.DoesNotContain("kubectl-client-side-apply/Update", Managers(obj));
    }

    private async Task<JsonObject> Get(string ns) =>
        JsonNode.Parse(await K.OkAsync($"get deploy web -n {ns} -o json --show-managed-fields"))!.AsObject();

    private static List<string> Managers(JsonObject obj) =>
        [.. obj["metadata"]!["managedFields"]!.AsArray().Select(e => $"{e!["manager"]}/{e["operation"]}")];

    /// <summary>
    /// A Deployment whose pods select a node that does not exist, so they stay Pending and nothing runs; <paramref name="more"/>
    /// goes after the web container's command (fields at 8 spaces, another container at 6).
    /// </summary>
    private static string Deployment(string ns, int replicas, string more = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {{ns}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              nodeSelector: {berth.test/none: "x"}
              containers:
              - name: web
                image: busybox:1.36
                command: ["sleep", "3600"]{{more}}
        """;
}

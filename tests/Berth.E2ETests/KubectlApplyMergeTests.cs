using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Client-side <c>kubectl apply</c> keeps merging lists by key now that the OpenAPI v3 documents carry schemas: what
/// another actor added to a list survives a re-apply, and only what the file drops is removed.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlApplyMergeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task Apply_AfterAnotherActorsEnvAndContainer_KeepsThemAndRemovesOnlyTheDroppedContainer()
    {
        var ns = await fixture.NewNamespaceAsync("merge");
        await K.OkAsync("apply -f -", Deployment(ns, withSecond: true));
        await K.OkAsync($"set env deploy/web -n {ns} -c a OTHER=x");
        await K.OkAsync($"patch deploy web -n {ns} --type=strategic -p " +
            """{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.36"}]}}}}""");

        await K.OkAsync("apply -f -", Deployment(ns, withSecond: true));
        var containers = await Containers(ns);
        Assert.Equal(["side", "a", "b"], containers.Select(c => (string)c["name"]!));
        Assert.Equal(["A=1", "OTHER=x"], Env(containers.Single(c => (string?)c["name"] == "a")));

        Assert.Contains("deployment.apps/web configured", await K.OkAsync("apply -f -", Deployment(ns, withSecond: false)), StringComparison.Ordinal);
        containers = await Containers(ns);
        Assert.Equal(["side", "a"], containers.Select(c => (string)c["name"]!));
        Assert.Equal(["A=1", "OTHER=x"], Env(containers.Single(c => (string?)c["name"] == "a")));
    }

    [Fact]
    public async Task Apply_ServiceChangingOnePort_KeepsTheOtherAllocatedNodePort()
    {
        var ns = await fixture.NewNamespaceAsync("svcmerge");
        await K.OkAsync("apply -f -", Service(ns, 443));
        var before = await NodePorts(ns);
        Assert.True(before[80] > 0);

        await K.OkAsync("apply -f -", Service(ns, 8443));
        var after = await NodePorts(ns);
        Assert.Equal([80, 8443], after.Keys.Order());
        Assert.Equal(before[80], after[80]);
    }

    [Fact]
    public async Task ApplyValidateStrict_UnknownField_ReportedByTheServer()
    {
        var ns = await fixture.NewNamespaceAsync("strict");
        var manifest = $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"c\",\"namespace\":\"{ns}\"}},\"bogus\":1}}";
        var result = await K.RunAsync("apply --validate=strict -f -", manifest);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"bogus\"", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<List<JsonObject>> Containers(string ns)
    {
        var deployment = JsonNode.Parse(await K.OkAsync($"get deploy web -n {ns} -o json"))!;
        return [.. deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!.AsObject())];
    }

    private static IEnumerable<string> Env(JsonObject container) =>
        container["env"]!.AsArray().Select(e => $"{(string)e!["name"]!}={(string)e["value"]!}");

    private async Task<Dictionary<int, int>> NodePorts(string ns)
    {
        var service = JsonNode.Parse(await K.OkAsync($"get svc web -n {ns} -o json"))!;
        return service["spec"]!["ports"]!.AsArray().ToDictionary(p => (int)p!["port"]!, p => (int)p!["nodePort"]!);
    }

    private static string Deployment(string ns, bool withSecond) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: {{{ns}}}}
        spec:
          replicas: 0
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: a
                image: busybox:1.36
                env: [{name: A, value: "1"}]
        {{{(withSecond ? "      - {name: b, image: busybox:1.36}" : "")}}}
        """;

    private static string Service(string ns, int secondPort) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: {{{ns}}}}
        spec:
          type: NodePort
          selector: {app: web}
          ports:
          - {name: http, port: 80, targetPort: 8080}
          - {name: other, port: {{{secondPort}}}, targetPort: 8443}
        """;
}

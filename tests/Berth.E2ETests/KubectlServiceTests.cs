using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Issue 4 through kubectl: a Service over real-process pods gets a cluster IP from 127.96.0.0/16, EndpointSlices and
/// Endpoints list the ready pod IPs, a deleted pod is marked terminating in its slice and leaves the Endpoints at once,
/// and pods started after the Service see its environment variables.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlServiceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Node = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    private static string Pod(string ns, string name, string script, string app = "web") => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, namespace: {{{ns}}}, labels: {app: {{{app}}}}}
        spec:
          nodeName: {{{Node}}}
          terminationGracePeriodSeconds: 5
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "{{{script}}}"]
            ports:
            - {name: http, containerPort: 8080}
        """;

    private static string Service(string ns) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: {{ns}}}
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80, targetPort: http}
        """;

    private const string IgnoreTerm = "trap '' TERM; while true; do sleep 0.1; done";

    private async Task<string> PodIPAsync(string ns, string pod) =>
        (await K.OkAsync($"get pod {pod} -n {ns} -o jsonpath={{.status.podIP}}")).Trim();

    private async Task<List<JsonObject>> SliceEndpointsAsync(string ns)
    {
        var list = JsonNode.Parse(await K.OkAsync($"get endpointslices -n {ns} -l kubernetes.io/service-name=web -o json"))!;
        return list["items"]!.AsArray().SelectMany(s => s!["endpoints"]?.AsArray().OfType<JsonObject>() ?? []).ToList();
    }

    private async Task<List<string>> EndpointAddressesAsync(string ns)
    {
        var result = await K.RunAsync($"get endpoints web -n {ns} -o json");
        if (result.ExitCode != 0)
        {
            return [];
        }
        return JsonNode.Parse(result.Stdout)!["subsets"]?.AsArray()
            .SelectMany(s => s!["addresses"]?.AsArray() ?? []).Select(a => (string)a!["ip"]!).ToList() ?? [];
    }

    [Fact]
    public async Task ServiceOverPods_ClusterIPSlicesEndpointsAndTermination()
    {
        var ns = await fixture.NewNamespaceAsync("svc");
        await K.OkAsync("apply -f -", Pod(ns, "a", IgnoreTerm) + "\n---\n" + Pod(ns, "b", IgnoreTerm) + "\n---\n" + Service(ns));
        await K.OkAsync($"wait --for=condition=Ready pod/a pod/b -n {ns} --timeout=60s");
        var (ipA, ipB) = (await PodIPAsync(ns, "a"), await PodIPAsync(ns, "b"));

        var clusterIP = (await K.OkAsync($"get svc web -n {ns} -o jsonpath={{.spec.clusterIP}}")).Trim();
        Assert.StartsWith("127.96.", clusterIP, StringComparison.Ordinal);
        Assert.Contains(clusterIP, await K.OkAsync($"get svc -n {ns}"), StringComparison.Ordinal);

        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await SliceEndpointsAsync(ns)).Count(e => (bool)e["conditions"]!["ready"]!) == 2, because: "both ready pods are in the slice");
        var slice = JsonNode.Parse(await K.OkAsync($"get endpointslices -n {ns} -l kubernetes.io/service-name=web -o json"))!["items"]![0]!;
        Assert.Equal(8080, (int)slice["ports"]![0]!["port"]!);
        Assert.Equal("endpointslice-controller.k8s.io", (string?)slice["metadata"]!["labels"]!["endpointslice.kubernetes.io/managed-by"]);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await EndpointAddressesAsync(ns)).Order().SequenceEqual(new[] { ipA, ipB }.Order()));
        Assert.Contains("8080", await K.OkAsync($"get endpoints web -n {ns}"), StringComparison.Ordinal);
        Assert.Equal(0, (await K.RunAsync($"get endpointslices -n {ns}")).ExitCode);

        await K.OkAsync($"delete pod a -n {ns} --wait=false");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await SliceEndpointsAsync(ns)).Any(e =>
            (string?)e["targetRef"]!["name"] == "a" && (bool)e["conditions"]!["terminating"]! && !(bool)e["conditions"]!["ready"]!),
            because: "the deleted pod is marked terminating while it runs out its grace period");
        Assert.Equal([ipB], await EndpointAddressesAsync(ns));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await SliceEndpointsAsync(ns)).All(e => (string?)e["targetRef"]!["name"] == "b"),
            timeout: TimeSpan.FromSeconds(30), because: "the pod leaves the slice once it is gone");
    }

    [Fact]
    public async Task PodStartedAfterService_SeesServiceEnvironment()
    {
        var ns = await fixture.NewNamespaceAsync("svcenv");
        await K.OkAsync("apply -f -", Service(ns));
        var clusterIP = (await K.OkAsync($"get svc web -n {ns} -o jsonpath={{.spec.clusterIP}}")).Trim();
        await K.OkAsync("apply -f -", Pod(ns, "client", "echo host=$WEB_SERVICE_HOST port=$WEB_SERVICE_PORT_HTTP link=$WEB_PORT; " + IgnoreTerm, app: "client"));
        await K.OkAsync($"wait --for=condition=Ready pod/client -n {ns} --timeout=60s");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"logs client -n {ns}")).Stdout.Contains("host=", StringComparison.Ordinal));
        var logs = await K.OkAsync($"logs client -n {ns}");
        Assert.Contains($"host={clusterIP} port=80 link=tcp://{clusterIP}:80", logs, StringComparison.Ordinal);
        await K.OkAsync($"delete pod client -n {ns} --grace-period=0 --force");
    }
}

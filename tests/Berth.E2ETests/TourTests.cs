using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>The README tour, command by command, on examples/hello-pod.yaml.</summary>
[Trait("Category", "E2E")]
public sealed class TourTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task ReadmeTour_HelloPod_ServesOnItsPodIPAndStopsGracefully()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "examples", "hello-pod.yaml"));
        var ns = await fixture.NewNamespaceAsync("tour");
        Assert.Contains("Server Version: v1.32.0-berth", await K.OkAsync("version"), StringComparison.Ordinal);
        Assert.Matches(@"\s+Ready\s+", await K.OkAsync("get nodes -o wide"));
        Assert.Contains("pod/hello created", await K.OkAsync($"apply -n {ns} -f -", manifest), StringComparison.Ordinal);
        await K.OkAsync($"wait --for=condition=Ready pod/hello -n {ns} --timeout=60s");
        var ip = (await K.OkAsync($"get pod hello -n {ns} -o jsonpath={{.status.podIP}}")).Trim();
        var podCidr = (await K.OkAsync("get nodes -o jsonpath={.items[0].spec.podCIDR}")).Trim();
        Assert.True(System.Net.IPNetwork.Parse(podCidr).Contains(System.Net.IPAddress.Parse(ip)), $"pod IP {ip} is in the node's podCIDR {podCidr}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var page = await http.GetStringAsync($"http://{ip}:8080/");
        Assert.Contains("Directory listing", page, StringComparison.Ordinal);

        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.OkAsync($"logs hello -n {ns}")).Contains("GET /", StringComparison.Ordinal),
            because: "the access log reaches kubectl logs");
        Assert.Equal(ip, (await K.OkAsync($"exec hello -n {ns} -- sh -c 'echo $POD_IP'")).Trim());
        var describe = await K.OkAsync($"describe pod hello -n {ns}");
        Assert.Contains("Started", describe, StringComparison.Ordinal);

        Assert.Contains("pod \"hello\" deleted", await K.OkAsync($"delete pod hello -n {ns}"), StringComparison.Ordinal);
        var events = JsonNode.Parse(await K.OkAsync($"get events -n {ns} -o json"))!["items"]!.AsArray();
        Assert.Contains(events, e => (string?)e!["reason"] == "Killing" && (string?)e["message"] == "Stopping container web");
    }

    [Fact]
    public async Task ReadmeTour_HelloDeployment_RollsOutBehindItsServiceAndUndoes()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "examples", "hello-deployment.yaml"));
        var ns = await fixture.NewNamespaceAsync("tour-deploy");
        var applied = await K.OkAsync($"apply -n {ns} -f -", manifest);
        Assert.Contains("deployment.apps/web created", applied, StringComparison.Ordinal);
        Assert.Contains("service/web created", applied, StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await K.OkAsync($"rollout status deployment/web -n {ns} --timeout=90s"), StringComparison.Ordinal);

        var clusterIP = (await K.OkAsync($"get svc web -n {ns} -o jsonpath={{.spec.clusterIP}}")).Trim();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await AsyncTestHelpers.WaitUntilAsync(async () => await ServesAsync(http, $"http://{clusterIP}/"),
            because: "the service proxy routes the ClusterIP to a ready pod");

        var before = await PodNamesAsync(ns);
        Assert.Equal(3, before.Count);
        var podIPs = (await K.OkAsync($"get pods -n {ns} -l app=web -o jsonpath={{.items[*].status.podIP}}")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var slices = await K.OkAsync($"get endpointslices -n {ns} -l kubernetes.io/service-name=web");
        Assert.All(podIPs, ip => Assert.Contains(ip, slices, StringComparison.Ordinal));
        Assert.Contains("deployment.apps/web restarted", await K.OkAsync($"rollout restart deployment/web -n {ns}"), StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await K.OkAsync($"rollout status deployment/web -n {ns} --timeout=120s"), StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () => !(await PodNamesAsync(ns)).Overlaps(before),
            because: "every old pod terminates gracefully and goes away");
        Assert.True(await ServesAsync(http, $"http://{clusterIP}/"), "the service serves from the new pods");

        Assert.Contains("deployment.apps/web rolled back", await K.OkAsync($"rollout undo deployment/web -n {ns}"), StringComparison.Ordinal);
        Assert.Contains("successfully rolled out", await K.OkAsync($"rollout status deployment/web -n {ns} --timeout=120s"), StringComparison.Ordinal);
        var killing = JsonNode.Parse(await K.OkAsync($"get events -n {ns} -o json"))!["items"]!.AsArray()
            .Count(e => (string?)e!["reason"] == "Killing");
        Assert.True(killing >= 3, $"old pods were stopped through the kubelet's Killing path, saw {killing}");
    }

    [Fact]
    public async Task ReadmeTour_ShopExample_EveryKindAppliesAndTheClaimOutlivesThePod()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "examples", "shop.yaml"));
        var ns = await fixture.NewNamespaceAsync("tour-shop");
        var applied = await K.OkAsync($"apply -n {ns} -f -", manifest);
        foreach (var created in new[] { "serviceaccount/shop", "role.rbac.authorization.k8s.io/pod-reader", "rolebinding.rbac.authorization.k8s.io/shop-reads-pods",
            "persistentvolumeclaim/data", "deployment.apps/shop", "service/shop", "ingress.networking.k8s.io/shop",
            "networkpolicy.networking.k8s.io/shop", "poddisruptionbudget.policy/shop", "priorityclass.scheduling.k8s.io/shop-high" })
        {
            Assert.Contains(created, applied, StringComparison.Ordinal);
        }
        Assert.Contains("successfully rolled out", await K.OkAsync($"rollout status deployment/shop -n {ns} --timeout=90s"), StringComparison.Ordinal);
        Assert.Equal("Bound", (await K.OkAsync($"get pvc data -n {ns} -o jsonpath={{.status.phase}}")).Trim());
        var first = (await K.OkAsync($"get pods -n {ns} -l app=shop -o jsonpath={{.items[0].metadata.name}}")).Trim();
        Assert.Equal("100000", (await K.OkAsync($"get pod {first} -n {ns} -o jsonpath={{.spec.priority}}")).Trim());
        Assert.Equal("yes", (await K.RunAsync($"auth can-i list pods -n {ns} --as=system:serviceaccount:{ns}:shop")).Stdout.Trim());
        Assert.Equal("no", (await K.RunAsync($"auth can-i list secrets -n {ns} --as=system:serviceaccount:{ns}:shop")).Stdout.Trim());

        await K.OkAsync($"exec {first} -n {ns} -- sh -c 'echo saved-by-{first} > /data/note.txt'");
        await K.OkAsync($"delete pod {first} -n {ns}");
        Assert.Contains("successfully rolled out", await K.OkAsync($"rollout status deployment/shop -n {ns} --timeout=90s"), StringComparison.Ordinal);
        var clusterIP = (await K.OkAsync($"get svc shop -n {ns} -o jsonpath={{.spec.clusterIP}}")).Trim();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await AsyncTestHelpers.WaitUntilAsync(async () => await ReadsAsync(http, $"http://{clusterIP}/note.txt", $"saved-by-{first}"),
            because: "the replacement pod serves the file its predecessor wrote to the claim, through the Service");
    }

    private static async Task<bool> ReadsAsync(HttpClient http, string url, string expected)
    {
        try
        {
            return (await http.GetStringAsync(url)).Contains(expected, StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<HashSet<string>> PodNamesAsync(string ns) =>
        (await K.OkAsync($"get pods -n {ns} -l app=web -o jsonpath={{.items[*].metadata.name}}"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static async Task<bool> ServesAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetStringAsync(url)).Contains("Directory listing", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.sln")))
        {
            dir = dir.Parent;
        }
        return dir!.FullName;
    }
}

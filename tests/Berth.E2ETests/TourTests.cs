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
        Assert.StartsWith("127.1.", ip, StringComparison.Ordinal);

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

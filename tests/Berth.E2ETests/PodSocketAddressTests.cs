namespace Berth.E2ETests;

/// <summary>
/// The README line: two replicas of an app that listens on 0.0.0.0:8080 both run, each reachable on its own pod IP,
/// and localhost inside a pod reaches that pod's listener (docs/deviations.md, "Each pod's own wildcard and localhost").
/// </summary>
[Trait("Category", "E2E")]
public sealed class PodSocketAddressTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [PodSocketsFact]
    public async Task ReplicasListeningOnTheSameWildcardPort_EachServesOnItsOwnPodIP()
    {
        var ns = await fixture.NewNamespaceAsync("wildcard");
        await K.OkAsync($"create deployment py -n {ns} --image=python:3 --replicas=2 -- python3 -m http.server 8080");
        Assert.Contains("successfully rolled out", await K.OkAsync($"rollout status deployment/py -n {ns} --timeout=90s"), StringComparison.Ordinal);

        var ips = (await K.OkAsync($"get pods -n {ns} -l app=py -o jsonpath={{.items[*].status.podIP}}")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, ips.Distinct().Count());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var ip in ips)
        {
            string? page = null;
            await AsyncTestHelpers.WaitUntilAsync(async () =>
            {
                try
                {
                    page = await http.GetStringAsync($"http://{ip}:8080/");
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, because: $"the replica on {ip} serves");
            Assert.Contains("Directory listing", page, StringComparison.Ordinal);
        }
        var local = await K.OkAsync($"exec deploy/py -n {ns} -- python3 -c 'import urllib.request;print(urllib.request.urlopen(\"http://localhost:8080/\").status)'");
        Assert.Equal("200", local.Trim());
        var restarts = await K.OkAsync($"get pods -n {ns} -l app=py -o jsonpath={{.items[*].status.containerStatuses[0].restartCount}}");
        Assert.Equal("0 0", restarts.Trim());
    }
}

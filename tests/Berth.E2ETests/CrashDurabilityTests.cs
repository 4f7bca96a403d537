using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Issue 2 §5 crash test: a client writes continuously, the server is killed with SIGKILL, it restarts over the same
/// data dir; every acknowledged write is present and resourceVersions keep increasing.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CrashDurabilityTests
{
    [Fact]
    public async Task KillDashNine_AcknowledgedWritesSurviveAndRevisionsIncrease()
    {
        var server = await BerthProcess.StartAsync();
        var dataDir = server.DataDir;
        var acknowledged = new List<(string Name, long Rv)>();
        using (var http = BerthHttp.Create(server))
        {
            await AsyncTestHelpers.WaitUntilAsync(async () =>
                (await http.GetAsync("/api/v1/namespaces/default")).StatusCode == HttpStatusCode.OK, because: "bootstrap");
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested && i < 100_000; i++)
                {
                    var name = $"crash-{i}";
                    var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"i":"{{{i}}}"}}""";
                    try
                    {
                        using var resp = await http.PostAsync("/api/v1/namespaces/default/configmaps",
                            new StringContent(body, Encoding.UTF8, "application/json"));
                        if (resp.StatusCode != HttpStatusCode.Created)
                        {
                            break;
                        }
                        var rv = long.Parse((string)JsonNode.Parse(await resp.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!,
                            System.Globalization.CultureInfo.InvariantCulture);
                        lock (acknowledged)
                        {
                            acknowledged.Add((name, rv));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        break;
                    }
                }
            });
            await AsyncTestHelpers.WaitUntilAsync(() => { lock (acknowledged) { return acknowledged.Count >= 200; } },
                TimeSpan.FromSeconds(60), "the writer made progress");
            await server.KillAsync();
            await writer.DefaultTimeout(TimeSpan.FromSeconds(60));
        }
        await server.DisposeAsync();

        await using var restarted = await BerthProcess.StartAsync(dataDir);
        using var http2 = BerthHttp.Create(restarted);
        var list = JsonNode.Parse(await http2.GetStringAsync("/api/v1/namespaces/default/configmaps"))!;
        var present = list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a.Name, present));
        Assert.Equal(acknowledged.Select(a => a.Rv).OrderBy(r => r), acknowledged.Select(a => a.Rv));

        var after = await http2.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after-restart"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var newRv = long.Parse((string)JsonNode.Parse(await after.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(newRv > acknowledged.Max(a => a.Rv), $"revision {newRv} after restart must exceed {acknowledged.Max(a => a.Rv)}");
    }
}

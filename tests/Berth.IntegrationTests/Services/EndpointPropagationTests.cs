using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Berth.IntegrationTests.Services;

/// <summary>
/// How fast a pod DELETE reaches its EndpointSlice in the running server: from the DELETE returning to a slice watch
/// event showing the endpoint terminating (not ready). Pods name a node without an agent, so they stay terminating.
/// </summary>
public sealed class EndpointPropagationTests(ITestOutputHelper output)
{
    private const int Pods = 40;

    private static JsonObject Pod(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = "ghost-node",
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }),
        },
    };

    private static async Task CreateReadyPodAsync(IApiClient api, string name, string ip)
    {
        var created = await api.CreateAsync(KindRegistry.Pods, "default", Pod(name));
        created["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = ip,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        };
        await api.UpdateAsync(KindRegistry.Pods, "default", created, "status");
    }

    private static IEnumerable<JsonObject> Endpoints(JsonObject slice) => slice["endpoints"]?.AsArray().OfType<JsonObject>() ?? [];

    [Fact]
    public async Task DeletePod_SliceMarksTerminatingWithinMilliseconds()
    {
        await using var host = await TestServerHost.StartAsync();
        var api = host.Services.GetRequiredService<IApiClient>();
        await api.CreateAsync(KindRegistry.Services, "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = "web" }, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
        });
        for (var i = 0; i < Pods; i++)
        {
            await CreateReadyPodAsync(api, $"p{i}", $"127.1.9.{i + 2}");
        }
        var selector = new ListOptions(LabelSelector: "kubernetes.io/service-name=web");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await api.ListAsync(KindRegistry.EndpointSlices, "default", selector)).Items.SelectMany(Endpoints).Count() == Pods);

        var seen = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var rv = (await api.ListAsync(KindRegistry.EndpointSlices, "default", selector)).ResourceVersion;
        var watching = Task.Run(async () =>
        {
            await foreach (var e in api.WatchAsync(KindRegistry.EndpointSlices, "default", selector with { ResourceVersion = rv }, stop.Token))
            {
                foreach (var endpoint in Endpoints(e.Object).Where(x => x.GetBool("conditions", "terminating") == true))
                {
                    seen.TryAdd(endpoint.GetString("targetRef", "name")!, Stopwatch.GetTimestamp());
                }
            }
        });

        var podSeen = new ConcurrentDictionary<string, long>();
        var podRv = (await api.ListAsync(KindRegistry.Pods, "default")).ResourceVersion;
        var watchingPods = Task.Run(async () =>
        {
            await foreach (var e in api.WatchAsync(KindRegistry.Pods, "default", new ListOptions(ResourceVersion: podRv), stop.Token))
            {
                if (e.Object.GetString("metadata", "deletionTimestamp") is not null)
                {
                    podSeen.TryAdd(e.Object.GetName()!, Stopwatch.GetTimestamp());
                }
            }
        });
        var informerSeen = new ConcurrentDictionary<string, long>();
        host.Services.GetRequiredService<Berth.Client.Informers.SharedInformerFactory>().InformerFor(KindRegistry.Pods)
            .AddEventHandler(new Berth.Client.Informers.ResourceEventHandlerFuncs
            {
                UpdateFunc = (_, pod) =>
                {
                    if (pod.GetString("metadata", "deletionTimestamp") is not null)
                    {
                        informerSeen.TryAdd(pod.GetName()!, Stopwatch.GetTimestamp());
                    }
                },
            });
        var latencies = new List<double>();
        var podLatencies = new List<double>();
        var informerLatencies = new List<double>();
        for (var i = 0; i < Pods; i++)
        {
            var name = $"p{i}";
            await api.DeleteAsync(KindRegistry.Pods, "default", name);
            var deleted = Stopwatch.GetTimestamp();
            await AsyncTestHelpers.WaitUntilAsync(() => seen.ContainsKey(name), timeout: TimeSpan.FromSeconds(5));
            latencies.Add(Stopwatch.GetElapsedTime(deleted, seen[name]).TotalMilliseconds);
            informerLatencies.Add(informerSeen.TryGetValue(name, out var informerAt) ? Stopwatch.GetElapsedTime(deleted, informerAt).TotalMilliseconds : double.NaN);
            podLatencies.Add(podSeen.TryGetValue(name, out var podAt) ? Stopwatch.GetElapsedTime(deleted, podAt).TotalMilliseconds : double.NaN);
        }
        await stop.CancelAsync();
        await watching.ContinueWith(_ => { }, TaskScheduler.Default).DefaultTimeout();
        await watchingPods.ContinueWith(_ => { }, TaskScheduler.Default).DefaultTimeout();
        podLatencies.Sort();
        informerLatencies.Sort();
        output.WriteLine($"DELETE -> shared pod informer handler: p50 {informerLatencies[Pods / 2]:F2} ms, max {informerLatencies[^1]:F2} ms");
        output.WriteLine($"DELETE -> pod watch event: p50 {podLatencies[Pods / 2]:F2} ms, max {podLatencies[^1]:F2} ms");

        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        output.WriteLine($"DELETE -> slice terminating over {Pods} deletions: p50 {p50:F2} ms, p99 {p99:F2} ms, max {latencies[^1]:F2} ms");
        // A sanity bound only (shared CI machines are noisy): no batching delay and no periodic sync, so milliseconds, not seconds.
        Assert.True(p50 < 250, $"p50 {p50:F2} ms");
    }
}

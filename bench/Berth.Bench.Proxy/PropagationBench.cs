using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Berth.Bench.Proxy;

/// <summary>
/// Propagation, against a real server: three pods (python3, each answers a connection with its name and closes)
/// behind a Service, with <c>preStop: sleep 2</c> so a deleted pod keeps serving. A <see cref="Prober"/> opens new
/// connections to the ClusterIP back to back. For each of N deletions: the DELETE is sent; when its response arrives
/// (accepted) the clock starts; the figure is the opening time of the last new connection still routed to that pod
/// minus that instant (0 when none was routed after it), i.e. how long the proxy kept sending new connections to a
/// terminating pod. A replacement pod is created right after each DELETE.
/// </summary>
internal static class PropagationBench
{
    private const string IdServer =
        "import os, socket\n" +
        "s = socket.socket()\n" +
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n" +
        "s.bind((os.environ['POD_IP'], 8080))\n" +
        "s.listen(512)\n" +
        "name = os.environ['POD_NAME'].encode()\n" +
        "while True:\n" +
        "    c, _ = s.accept()\n" +
        "    c.sendall(name)\n" +
        "    c.close()\n";

    /// <param name="deletions">How many pods to delete; 0 for the default (20 with <paramref name="quick"/>, else 200).</param>
    public static async Task RunAsync(string berth, bool quick, int deletions, double probeRate, string? engine, string? proxyMode, TextWriter report)
    {
        deletions = deletions > 0 ? deletions : quick ? 20 : 200;
        await using var server = await BerthServer.StartAsync(berth, engine, proxyMode);
        var script = Path.Combine(server.DataDir, "id-server.py");
        await File.WriteAllTextAsync(script, IdServer);
        await server.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prop"}}""");
        await server.PostAsync("/api/v1/namespaces/prop/services", """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
             "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080}]}}
            """);
        var pods = new Queue<string>();
        for (var i = 0; i < 3; i++)
        {
            pods.Enqueue(await CreatePodAsync(server, script, i));
        }
        var clusterIP = JsonNode.Parse(await server.GetStringAsync("/api/v1/namespaces/prop/services/web"))!["spec"]!["clusterIP"]!.GetValue<string>();
        await using var prober = new Prober(new IPEndPoint(IPAddress.Parse(clusterIP), 80), probeRate);
        await WaitRoutedAsync(prober, pods.ToArray());
        prober.ResetErrors();

        await using var slices = new SliceWatcher(server.Http, "prop");
        await slices.WaitReadyAsync(pods);
        var latencies = new Latencies();
        var sliceLatencies = new Latencies();
        var notRoutedAfter = 0;
        for (var n = 0; n < deletions; n++)
        {
            var victim = pods.Dequeue();
            using var response = await server.Http.DeleteAsync($"/api/v1/namespaces/prop/pods/{victim}");
            var accepted = Stopwatch.GetTimestamp();
            var replacement = await CreatePodAsync(server, script, n + 3);
            pods.Enqueue(replacement);
            await WaitQuietAsync(prober, victim);
            var last = prober.LastConnectionTo(victim);
            if (last <= accepted)
            {
                notRoutedAfter++;
            }
            latencies.Add(last > accepted ? Stopwatch.GetElapsedTime(accepted, last) : TimeSpan.Zero);
            if (slices.NotReadySeen(victim) is var sliceSeen and > 0)
            {
                sliceLatencies.Add(Stopwatch.GetElapsedTime(accepted, sliceSeen));
            }
            await WaitRoutedAsync(prober, replacement);
            if (n % 20 == 19)
            {
                Console.Error.WriteLine($"propagation: {n + 1}/{deletions}");
            }
        }

        var metrics = await server.GetStringAsync("/metrics");
        var running = metrics.Contains("berth_proxy_mode{mode=\"ebpf\"} 1", StringComparison.Ordinal) ? "ebpf" : "userspace";
        report.WriteLine($"#### Propagation: DELETE accepted → no new connection routed to the pod (real server, {deletions} deletions, probes {(probeRate > 0 ? $"paced at {probeRate:F0}/s" : "back to back")}, engine {engine ?? "default"}, proxy mode {proxyMode ?? "default"}, running {running})");
        report.WriteLine();
        report.WriteLine("| deletions | p50 ms | p99 ms | max ms | none routed after the DELETE | probe connections | probe errors after the first pods were routed |");
        report.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        report.WriteLine($"| {deletions} | {latencies.Percentile(50) / 1000:F2} | {latencies.Percentile(99) / 1000:F2} | {latencies.Percentile(100) / 1000:F2} | " +
            $"{notRoutedAfter} | {prober.Probes} | {prober.Errors} |");
        report.WriteLine();
        report.WriteLine($"- Probe errors by kind: {prober.ErrorBreakdown}");
        report.WriteLine($"- DELETE accepted → a second watcher of the EndpointSlices sees the pod not ready ({sliceLatencies.Count} deletions): " +
            $"p50 {sliceLatencies.Percentile(50) / 1000:F2} ms, p99 {sliceLatencies.Percentile(99) / 1000:F2} ms, max {sliceLatencies.Percentile(100) / 1000:F2} ms");
        report.WriteLine();
    }

    private static async Task<string> CreatePodAsync(BerthServer server, string script, int index)
    {
        var name = $"web-{index}";
        await server.PostAsync("/api/v1/namespaces/prop/pods", $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","labels":{"app":"web"}},
             "spec":{"terminationGracePeriodSeconds":5,"containers":[{"name":"id","image":"python:3.12",
              "command":["python3","{{{script}}}"],
              "env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"} } },
                     {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"} } }],
              "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":1},
              "lifecycle":{"preStop":{"sleep":{"seconds":2} } } } ] } }
            """);
        return name;
    }

    /// <summary>Waits until every pod in <paramref name="pods"/> answered a probe connection.</summary>
    private static async Task WaitRoutedAsync(Prober prober, params string[] pods)
    {
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (pods.Any(p => prober.LastConnectionTo(p) == 0))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"pods {string.Join(", ", pods)} were never routed to");
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until <paramref name="victim"/> got no new connection for 300 ms while other pods kept getting them.</summary>
    private static async Task WaitQuietAsync(Prober prober, string victim)
    {
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (Stopwatch.GetElapsedTime(prober.LastConnectionTo(victim)) < TimeSpan.FromMilliseconds(300) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10);
        }
    }
}

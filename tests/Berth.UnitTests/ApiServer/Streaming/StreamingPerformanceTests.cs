using System.Diagnostics;
using System.Text.Json.Nodes;
using Berth.ApiServer.Streaming;
using Berth.Kubelet.Streaming;
using Berth.Kubelet.Streaming.Logs;
using Berth.UnitTests.Kubelet.Runtime;
using Berth.UnitTests.Kubelet.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>
/// Throughput of the log reader and round-trip time of an exec over a real WebSocket with a real child. Targets:
/// ≥ 50 MB/s of CRI log read (tail and full), exec of <c>true</c> ≤ 50 ms median. Assertions allow 10–50× headroom on
/// the shared machine, so they catch a pathological path, not a slow machine; the measured numbers are printed.
/// </summary>
[Trait("Category", "Performance")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StreamingPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LogReader_100kEntries_ThroughputAndTail()
    {
        using var logs = new LogFiles();
        var lines = Enumerable.Range(0, 100_000).Select(i => LogFiles.Line(i % 3600, $"request {i} served in 12 ms by worker {i % 8}"));
        File.WriteAllText(logs.Live, string.Concat(lines));
        var size = new FileInfo(logs.Live).Length;
        var source = new LogSource(logs.Live, 5, Path.Combine(LogFileGuard.RealDirectory(logs.Root)!, "default_web_uid-1", "app"), _ => Task.FromResult(false));

        await new ContainerLogReader(source, new PodLogOptions("app", Timestamps: true), Stream.Null, TimeProvider.System).ReadAsync(CancellationToken.None); // warm-up (JIT)
        var full = await TimeAsync(() => new ContainerLogReader(source, new PodLogOptions("app"), Stream.Null, TimeProvider.System).ReadAsync(CancellationToken.None));
        var tail = await TimeAsync(() => new ContainerLogReader(source, new PodLogOptions("app", TailLines: 10), Stream.Null, TimeProvider.System).ReadAsync(CancellationToken.None));
        var stamped = await TimeAsync(() => new ContainerLogReader(source, new PodLogOptions("app", Timestamps: true), Stream.Null, TimeProvider.System).ReadAsync(CancellationToken.None));

        output.WriteLine($"log file {size / 1e6:F1} MB: full read {full:F0} ms ({size / 1e3 / full:F0} MB/s), with timestamps {stamped:F0} ms, tail=10 {tail:F1} ms");
        // Floor 1 MB/s: 50× below the target, so only a pathological reader fails here (at load 44 on 2 cores a correct one read 3 MB/s).
        Assert.InRange(full, 0, size / 1e3 / 1);
        Assert.InRange(tail, 0, 500);
    }

    [Fact]
    [Trait("Category", "Process")]
    public async Task Exec_TrueOverWebSocket_RoundTrip()
    {
        using var h = new RuntimeHarness();
        var backend = new KubeletStreamingBackend(h.Runtime, new ProcessStreamingRuntime(h.Runtime, TimeProvider.System),
            h.LogDirectory, 5, TimeProvider.System, NullLogger<KubeletStreamingBackend>.Instance);
        await using var host = await StreamingTestHost.StartAsync(backend);
        await host.CreatePodAsync("web", ["app"]);
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 60") with { PodUid = await host.PodUidAsync("web") });
        await host.SetContainerStatusesAsync("web", new JsonArray(new JsonObject
        {
            ["name"] = "app", ["image"] = "busybox", ["imageID"] = "", ["ready"] = true, ["restartCount"] = 0, ["containerID"] = id.ToUri(),
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } },
        }));

        var samples = new List<double>();
        for (var i = -1; i < 20; i++)
        {
            var elapsed = await TimeAsync(async () =>
            {
                using var socket = await host.ConnectExecAsync("web", "command=true&stdout=true", "v5.channel.k8s.io");
                Assert.Equal("Success", (string?)ChannelFrames.Status((await ChannelFrames.ReadAllAsync(socket)).Messages)["status"]);
            });
            if (i >= 0)
            {
                samples.Add(elapsed); // run -1 warms up the JIT and the connection path
            }
        }
        samples.Sort();

        output.WriteLine($"exec true over WebSocket v5: median {samples[10]:F1} ms, max {samples[^1]:F1} ms (20 runs)");
        Assert.InRange(samples[10], 0, 500);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action().DefaultTimeout();
        return watch.Elapsed.TotalMilliseconds;
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Xunit.Abstractions;

namespace Berth.UnitTests.ApiServer;

/// <summary>
/// Latency over real HTTP on loopback. Targets: GET p99 ≤ 5 ms, LIST of 3,000 pods ≤ 150 ms, mutating p99 ≤ 20 ms.
/// The assertions allow 10× headroom because the test machine is shared; the measured numbers are printed.
/// </summary>
[Trait("Category", "Performance")]
public sealed class ResourceApiPerformanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiServerTestHost.StartAsync();
        for (var i = 0; i < 3000; i++)
        {
            var pod = ApiServerTestHost.Pod($"pod-{i:D4}");
            pod["spec"]!["nodeName"] = "node1";
            await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task List3000Pods_Get_Patch_MeetLatencyTargets()
    {
        var list = await Measure(5, () => Send(HttpMethod.Get, "/api/v1/namespaces/default/pods"));
        var get = await Measure(300, i => Send(HttpMethod.Get, $"/api/v1/namespaces/default/pods/pod-{i % 3000:D4}"));
        var patch = await Measure(300, i => Send(HttpMethod.Patch, $"/api/v1/namespaces/default/pods/pod-{i % 3000:D4}",
            ApiServerTestHost.Json("{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}", "application/merge-patch+json")));
        output.WriteLine($"LIST 3000 pods: median {list.Median:F1} ms, max {list.Max:F1} ms");
        output.WriteLine($"GET: p50 {get.Median:F2} ms, p99 {get.P99:F2} ms");
        output.WriteLine($"PATCH: p50 {patch.Median:F2} ms, p99 {patch.P99:F2} ms");
        Assert.True(list.Median < 1500, $"LIST median {list.Median} ms");
        Assert.True(get.P99 < 50, $"GET p99 {get.P99} ms");
        Assert.True(patch.P99 < 200, $"PATCH p99 {patch.P99} ms");
    }

    private async Task Send(HttpMethod method, string path, HttpContent? content = null)
    {
        using var response = await _host.SendAsync(method, path, content);
        await response.Content.LoadIntoBufferAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<(double Median, double P99, double Max)> Measure(int count, Func<Task> action) => Measure(count, _ => action());

    private static async Task<(double Median, double P99, double Max)> Measure(int count, Func<int, Task> action)
    {
        await action(0);
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            await action(i);
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return (samples[count / 2], samples[Math.Min(count - 1, (int)(count * 0.99))], samples[^1]);
    }
}

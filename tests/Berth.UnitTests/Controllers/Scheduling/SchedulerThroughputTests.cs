using System.Diagnostics;
using Xunit.Abstractions;

namespace Berth.UnitTests.Controllers.Scheduling;

public sealed class SchedulerThroughputTests(ITestOutputHelper output) : IAsyncDisposable
{
    private readonly SchedulerTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Sync_ThreeHundredPodsOnThreeNodes_AllBoundAndSpreadByLeastAllocated()
    {
        foreach (var node in (string[])["node-a", "node-b", "node-c"])
        {
            await _host.CreateNodeAsync(node, cpu: "64", memory: "256Gi");
        }
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 300; i++)
        {
            await _host.CreatePodAsync($"p{i}", cpu: "100m");
        }

        await AsyncTestHelpers.WaitUntilAsync(() => _host.Events.Events.Count(e => e.Reason == "Scheduled") == 300,
            TimeSpan.FromSeconds(60));
        watch.Stop();

        var perNode = _host.Events.Events.Where(e => e.Reason == "Scheduled").GroupBy(e => e.Message[(e.Message.LastIndexOf(' ') + 1)..]).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"300 pods created and bound in {watch.ElapsedMilliseconds} ms ({300_000.0 / watch.ElapsedMilliseconds:F0} pods/s); spread {string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}");
        // Integer least-allocated scores move in steps of 1% (640m here), and ties go to the first name: within ±7 pods.
        Assert.All(perNode.Values, count => Assert.InRange(count, 93, 107));
    }
}

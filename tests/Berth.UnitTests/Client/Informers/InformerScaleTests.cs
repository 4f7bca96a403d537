using System.Diagnostics;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Berth.UnitTests.Client.Informers;

/// <summary>3,000 pods, the scale the project targets on 2 cores: checks the model cache works and reports timings.</summary>
public sealed class InformerScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TypedLister_3000Pods_SecondListReusesCachedModels()
    {
        var api = new FakeApiClient();
        for (var i = 0; i < 3000; i++)
        {
            api.Seed(KindRegistry.Pods, ClientTestObjects.Pod($"ns{i % 10}", $"pod-{i}", new Dictionary<string, string> { ["app"] = $"app{i % 30}" }, nodeName: "n1"));
        }
        var informer = new SharedInformer(api, KindRegistry.Pods, null, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var sync = Stopwatch.StartNew();
        var run = Task.Run(() => informer.RunAsync(stop.Token));
        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        sync.Stop();
        var typed = informer.TypedLister<V1Pod>();

        var cold = Stopwatch.StartNew();
        var first = typed.List();
        cold.Stop();
        var warm = Stopwatch.StartNew();
        var second = typed.List();
        warm.Stop();
        var selective = Stopwatch.StartNew();
        var web = informer.Lister.List("ns3", l => l.TryGetValue("app", out var v) && v == "app3");
        selective.Stop();

        output.WriteLine($"sync {sync.ElapsedMilliseconds} ms, cold typed list {cold.ElapsedMilliseconds} ms, warm {warm.Elapsed.TotalMilliseconds:F2} ms, ns+label list {selective.Elapsed.TotalMilliseconds:F2} ms");
        Assert.Equal(3000, first.Count);
        Assert.All(first.Zip(second), p => Assert.Same(p.First, p.Second));
        Assert.Equal(100, web.Count);
        await stop.CancelAsync();
        await run.DefaultTimeout();
    }
}

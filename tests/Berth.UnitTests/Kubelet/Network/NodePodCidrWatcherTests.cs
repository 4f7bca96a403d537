using System.Text.Json.Nodes;
using Berth.Kubelet.Network;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Berth.UnitTests.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Network;

public sealed class NodePodCidrWatcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PodAddressAllocator Allocator() =>
        new(new PodNetworkOptions { FromNodePodCidr = true, StateDirectory = _dir.Path }, NullLogger<PodAddressAllocator>.Instance);

    [Fact]
    public async Task RunAsync_NodeGetsPodCidrLater_AllocatorUsesIt()
    {
        var api = new FakeApiClient();
        api.Seed(KindRegistry.Nodes, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "node-b" }, ["spec"] = new JsonObject() });
        api.Seed(KindRegistry.Nodes, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other" }, ["spec"] = new JsonObject { ["podCIDR"] = "127.1.0.0/24" } });
        var allocator = Allocator();
        var watcher = new NodePodCidrWatcher(api, allocator, "node-b", TimeProvider.System, NullLoggerFactory.Instance);
        using var cts = new CancellationTokenSource();
        var run = watcher.RunAsync(cts.Token);

        Assert.False(await watcher.WaitForPodCidrAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
        var node = await api.GetAsync(KindRegistry.Nodes, null, "node-b");
        node.SetPath("127.1.1.0/24", "spec", "podCIDR");
        await api.UpdateAsync(KindRegistry.Nodes, null, node);
        var assigned = await watcher.WaitForPodCidrAsync(AsyncTestHelpers.DefaultWait, CancellationToken.None);
        await cts.CancelAsync();
        await run.DefaultTimeout();

        Assert.True(assigned);
        Assert.Equal("127.1.1.0/24", allocator.PodCidr);
        Assert.Equal("127.1.1.2", allocator.AllocatePodIP("pod"));
    }

    [Fact]
    public void Update_InvalidOrEmpty_Ignored()
    {
        var allocator = Allocator();
        var watcher = new NodePodCidrWatcher(new FakeApiClient(), allocator, "n", TimeProvider.System, NullLoggerFactory.Instance);

        watcher.Update("");
        watcher.Update("10.0.0.0/24");

        Assert.Null(allocator.PodCidr);
        Assert.False(watcher.PodCidrAssigned.IsCompleted);
    }
}

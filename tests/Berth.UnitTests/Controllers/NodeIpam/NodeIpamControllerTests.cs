using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.NodeIpam;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.NodeIpam;

public sealed class NodeIpamControllerTests : IAsyncDisposable
{
    private readonly ApiRegistry _api = new(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), TimeProvider.System);
    private readonly RecordingEventRecorder _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];
    private SharedInformerFactory? _informers;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs).DefaultTimeout();
        if (_informers is not null)
        {
            await _informers.ShutdownAsync().DefaultTimeout();
        }
        _stop.Dispose();
    }

    private NodeIpamController Start(string clusterCidr = "127.1.0.0/16")
    {
        _informers = new SharedInformerFactory(_api, TimeProvider.System, NullLoggerFactory.Instance);
        var controller = new NodeIpamController(_informers, _api, _events, TimeProvider.System, NullLogger<NodeIpamController>.Instance,
            new NodeIpamOptions { ClusterCidr = clusterCidr });
        _informers.Start(_stop.Token);
        _runs.Add(controller.RunAsync(1, _stop.Token));
        return controller;
    }

    private Task<JsonObject> CreateNodeAsync(string name, string? podCidr = null)
    {
        var node = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject() };
        if (podCidr is not null)
        {
            node.SetPath(podCidr, "spec", "podCIDR");
            node.SetPath(new JsonArray(podCidr), "spec", "podCIDRs");
        }
        return _api.CreateAsync(KindRegistry.Nodes, null, node);
    }

    private async Task<string> WaitForPodCidrAsync(string name)
    {
        string? cidr = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (cidr = (await _api.GetAsync(KindRegistry.Nodes, null, name)).GetString("spec", "podCIDR")) is not null);
        return cidr!;
    }

    [Fact]
    public async Task Sync_NewNodes_EachGetsNextSlashTwentyFour()
    {
        Start();

        await CreateNodeAsync("a");
        var a = await WaitForPodCidrAsync("a");
        await CreateNodeAsync("b");
        var b = await WaitForPodCidrAsync("b");

        Assert.Equal("127.1.0.0/24", a);
        Assert.Equal("127.1.1.0/24", b);
        var node = await _api.GetAsync(KindRegistry.Nodes, null, "b");
        Assert.Equal(["127.1.1.0/24"], NodeIpamController.PodCidrs(node));
        Assert.Equal("127.1.1.0/24", node.GetArray("spec", "podCIDRs")![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_ExistingNodesWithRanges_BitmapRebuiltAndNeverReassigned()
    {
        await CreateNodeAsync("old-0", "127.1.0.0/24");
        await CreateNodeAsync("old-1", "127.1.1.0/24");
        var controller = Start();

        await CreateNodeAsync("new");

        Assert.Equal("127.1.2.0/24", await WaitForPodCidrAsync("new"));
        Assert.Equal(3, controller.Cidrs.Allocated);
        Assert.Equal("127.1.0.0/24", (await _api.GetAsync(KindRegistry.Nodes, null, "old-0")).GetString("spec", "podCIDR"));
    }

    [Fact]
    public async Task Delete_Node_ReleasesItsRange()
    {
        var controller = Start();
        await CreateNodeAsync("gone");
        await WaitForPodCidrAsync("gone");

        await _api.DeleteAsync(KindRegistry.Nodes, null, "gone");

        await AsyncTestHelpers.WaitUntilAsync(() => controller.Cidrs.Allocated == 0);
    }

    [Fact]
    public async Task Sync_RangeOutsideClusterCidr_LeftAlone()
    {
        var controller = Start();

        await CreateNodeAsync("manual", "127.9.0.0/16");
        await CreateNodeAsync("auto");

        Assert.Equal("127.1.0.0/24", await WaitForPodCidrAsync("auto"));
        Assert.Equal("127.9.0.0/16", (await _api.GetAsync(KindRegistry.Nodes, null, "manual")).GetString("spec", "podCIDR"));
        Assert.Equal(1, controller.Cidrs.Allocated);
    }

    [Fact]
    public async Task Sync_ClusterCidrFull_CidrNotAvailableEvent()
    {
        Start("127.1.0.0/24");
        await CreateNodeAsync("first");
        await WaitForPodCidrAsync("first");

        await CreateNodeAsync("second");

        await AsyncTestHelpers.WaitUntilAsync(() => _events.Events.Any(e => e.Reason == "CIDRNotAvailable"));
        var e = _events.Events.First(e => e.Reason == "CIDRNotAvailable");
        Assert.Equal("Node second status is now: CIDRNotAvailable", e.Message);
        Assert.Null((await _api.GetAsync(KindRegistry.Nodes, null, "second")).GetString("spec", "podCIDR"));
    }
}

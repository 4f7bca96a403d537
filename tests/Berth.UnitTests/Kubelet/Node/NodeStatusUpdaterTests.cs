using System.Text.Json.Nodes;
using Berth.Kubelet.Node;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Node;

public sealed class NodeStatusUpdaterTests : IAsyncDisposable
{
    private readonly NodeTestApi _api = new();
    private readonly RecordingEventRecorder _events = new();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    private NodeStatusUpdater Updater(NodeRegistrationOptions? options = null) =>
        new(_api.Api, options ?? NodeTestApi.Options(), NodeTestApi.Machine, _api.Time, NullLoggerFactory.Instance, _events);

    private async Task RegisterAsync(NodeStatusUpdater updater)
    {
        using var cts = new CancellationTokenSource();
        var run = updater.RunAsync(cts.Token);
        await updater.Registered.DefaultTimeout();
        await cts.CancelAsync();
        await run.DefaultTimeout();
    }

    private static JsonObject Condition(JsonObject node, string type) =>
        node.GetArray("status", "conditions")!.OfType<JsonObject>().Single(c => c.GetString("type") == type);

    [Fact]
    public async Task RunAsync_NewNode_RegistersUpstreamShape()
    {
        await RegisterAsync(Updater());

        var node = await _api.NodeAsync();
        var now = NodeFormats.Time(NodeTestApi.Start);
        Assert.Equal(new Dictionary<string, string>
        {
            ["beta.kubernetes.io/arch"] = "amd64", ["beta.kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = "node-a", ["kubernetes.io/os"] = "linux",
        }, node.GetLabels());
        Assert.Equal("127.1.0.0/16", node.GetString("spec", "podCIDR"));
        Assert.Equal("8", node.GetString("status", "capacity", "cpu"));
        Assert.Equal("16777220Ki", node.GetString("status", "capacity", "memory"));
        Assert.Equal("16674820Ki", node.GetString("status", "allocatable", "memory"));
        Assert.Equal("110", node.GetString("status", "allocatable", "pods"));
        Assert.Equal("195312500Ki", node.GetString("status", "capacity", "ephemeral-storage"));
        Assert.Equal("175781250Ki", node.GetString("status", "allocatable", "ephemeral-storage"));
        Assert.Equal(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"],
            node.GetArray("status", "conditions")!.Select(c => c!["type"]!.GetValue<string>()));
        var ready = Condition(node, "Ready");
        Assert.Equal(("True", "KubeletReady", "kubelet is posting ready status", now, now),
            (ready.GetString("status"), ready.GetString("reason"), ready.GetString("message"), ready.GetString("lastHeartbeatTime"), ready.GetString("lastTransitionTime")));
        Assert.Equal(("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            (Condition(node, "MemoryPressure").GetString("status"), Condition(node, "MemoryPressure").GetString("reason"), Condition(node, "MemoryPressure").GetString("message")));
        Assert.Equal("KubeletHasNoDiskPressure", Condition(node, "DiskPressure").GetString("reason"));
        Assert.Equal("kubelet has sufficient PID available", Condition(node, "PIDPressure").GetString("message"));
        Assert.Equal("""[{"type":"InternalIP","address":"127.0.0.1"},{"type":"Hostname","address":"node-a"}]""", node.GetArray("status", "addresses")!.ToJsonString());
        Assert.Equal(10250, node.GetLong("status", "daemonEndpoints", "kubeletEndpoint", "Port"));
        var info = node.GetObject("status", "nodeInfo")!;
        Assert.Equal("v1.32.0-berth", info.GetString("kubeletVersion"));
        Assert.Equal("v1.32.0-berth", info.GetString("kubeProxyVersion"));
        Assert.Equal("""[{"name":"","features":{"recursiveReadOnlyMounts":false,"userNamespaces":false}}]""",
            node.GetArray("status", "runtimeHandlers")!.ToJsonString());
        Assert.Null(node.GetObject("status", "features"));
        Assert.Equal("true", node.GetString("metadata", "annotations", NodeStatusBuilder.ControllerManagedAttachDetachAnnotation));
        Assert.StartsWith("berth-process://", info.GetString("containerRuntimeVersion"), StringComparison.Ordinal);
        Assert.Equal(("mid", "boot", "6.8.0-berth", "Ubuntu 24.04 LTS", "linux", "amd64"),
            (info.GetString("machineID"), info.GetString("bootID"), info.GetString("kernelVersion"), info.GetString("osImage"), info.GetString("operatingSystem"), info.GetString("architecture")));
        Assert.Equal(["Starting", "NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeReady"], _events.Events.Select(e => e.Reason));
        Assert.Equal("Starting kubelet.", _events.Events[0].Message);
        Assert.Equal("Node node-a status is now: NodeReady", _events.Events[^1].Message);
        Assert.Equal(("Node", "node-a", "node-a"), (_events.Events[0].Object.Kind, _events.Events[0].Object.Name, _events.Events[0].Object.Uid));
    }

    [Fact]
    public async Task RunAsync_ReservedHugePages_CapacityPerSizeAndOutOfAllocatableMemory()
    {
        var machine = NodeTestApi.Machine with { HugePagePools = [new HugePagePool(2L << 20, 1L << 30), new HugePagePool(1L << 30, 0)] };
        await RegisterAsync(new NodeStatusUpdater(_api.Api, NodeTestApi.Options(), machine, _api.Time, NullLoggerFactory.Instance, _events));

        var node = await _api.NodeAsync();
        Assert.Equal("1Gi", node.GetString("status", "capacity", "hugepages-2Mi"));
        Assert.Equal("0", node.GetString("status", "capacity", "hugepages-1Gi"));
        Assert.Equal("1Gi", node.GetString("status", "allocatable", "hugepages-2Mi"));
        Assert.Equal("16777220Ki", node.GetString("status", "capacity", "memory"));
        Assert.Equal("15626244Ki", node.GetString("status", "allocatable", "memory"));
        Assert.Equal(["cpu", "ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi", "memory", "pods"],
            node.GetObject("status", "allocatable")!.Select(p => p.Key));
    }

    [Fact]
    public async Task RunAsync_ExistingNode_KeepsCordonTaintsAndUserLabelsButFixesDefaults()
    {
        await RegisterAsync(Updater());
        var node = await _api.NodeAsync();
        node.SetPath(true, "spec", "unschedulable");
        node.SetPath(new JsonArray(new JsonObject { ["key"] = "dedicated", ["value"] = "x", ["effect"] = "NoSchedule" }), "spec", "taints");
        node.SetPath("mine", "metadata", "labels", "team");
        node.SetPath("wrong", "metadata", "labels", "kubernetes.io/os");
        await _api.Api.UpdateAsync(KindRegistry.Nodes, null, node);

        var before = _events.Events.Count;
        await RegisterAsync(Updater());

        var after = await _api.NodeAsync();
        Assert.Equal(["Starting", "NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"], _events.Events.Skip(before).Select(e => e.Reason));
        Assert.True(after.GetBool("spec", "unschedulable"));
        Assert.Equal("dedicated", after.GetArray("spec", "taints")![0]!["key"]!.GetValue<string>());
        Assert.Equal("mine", after.GetLabels()["team"]);
        Assert.Equal("linux", after.GetLabels()["kubernetes.io/os"]);
    }

    [Fact]
    public async Task UpdateNodeStatus_Unchanged_WritesOnlyWhenReportIsDue()
    {
        var updater = Updater();
        await RegisterAsync(updater);
        var rv = (await _api.NodeAsync()).GetResourceVersion();

        _api.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await updater.UpdateNodeStatusAsync(CancellationToken.None).DefaultTimeout());
        Assert.Equal(rv, (await _api.NodeAsync()).GetResourceVersion());

        _api.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await updater.UpdateNodeStatusAsync(CancellationToken.None).DefaultTimeout());
        var ready = Condition(await _api.NodeAsync(), "Ready");
        Assert.Equal(NodeFormats.Time(_api.Time.GetUtcNow()), ready.GetString("lastHeartbeatTime"));
        Assert.Equal(NodeFormats.Time(NodeTestApi.Start), ready.GetString("lastTransitionTime"));
    }

    [Fact]
    public async Task UpdateNodeStatus_ControllerMarkedUnknown_RestoresReadyWithNewTransition()
    {
        var updater = Updater();
        await RegisterAsync(updater);
        var node = await _api.NodeAsync();
        var ready = Condition(node, "Ready");
        ready["status"] = "Unknown";
        ready["reason"] = "NodeStatusUnknown";
        await _api.Api.UpdateAsync(KindRegistry.Nodes, null, node, "status");
        _api.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await updater.UpdateNodeStatusAsync(CancellationToken.None).DefaultTimeout());

        ready = Condition(await _api.NodeAsync(), "Ready");
        Assert.Equal(("True", "KubeletReady"), (ready.GetString("status"), ready.GetString("reason")));
        Assert.Equal(NodeFormats.Time(_api.Time.GetUtcNow()), ready.GetString("lastTransitionTime"));
        Assert.Equal("NodeReady", _events.Events[^1].Reason);
    }

    [Fact]
    public async Task MarkShuttingDown_PostsReadyFalseWithShutdownMessage()
    {
        var updater = Updater();
        await RegisterAsync(updater);

        await updater.MarkShuttingDownAsync(CancellationToken.None).DefaultTimeout();

        var ready = Condition(await _api.NodeAsync(), "Ready");
        Assert.Equal(("False", "KubeletNotReady", "node is shutting down"), (ready.GetString("status"), ready.GetString("reason"), ready.GetString("message")));
        Assert.Equal("NodeNotReady", _events.Events[^1].Reason);
    }

    [Fact]
    public async Task RunAsync_NodeLeftShuttingDown_ReadyAgainWithoutWaitingAPeriod()
    {
        var previous = Updater();
        await RegisterAsync(previous);
        await previous.MarkShuttingDownAsync(CancellationToken.None).DefaultTimeout();
        var next = Updater();
        using var cts = new CancellationTokenSource();

        var run = next.RunAsync(cts.Token);

        await AsyncTestHelpers.WaitUntilAsync(async () => Condition(await _api.NodeAsync(), "Ready").GetString("status") == "True");
        Assert.Equal("NodeReady", _events.Events[^1].Reason);
        await cts.CancelAsync();
        await run.DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_StatusTamperedWith_RewrittenAtNextPeriod()
    {
        var updater = Updater();
        using var cts = new CancellationTokenSource();
        var run = updater.RunAsync(cts.Token);
        await updater.Registered.DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => _api.Time.TimersCreated >= 1);
        var node = await _api.NodeAsync();
        node.SetPath("999", "status", "capacity", "cpu");
        await _api.Api.UpdateAsync(KindRegistry.Nodes, null, node, "status");

        _api.Time.Advance(TimeSpan.FromSeconds(10));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await _api.NodeAsync()).GetString("status", "capacity", "cpu") == "8");
        await cts.CancelAsync();
        await run.DefaultTimeout();
    }
}

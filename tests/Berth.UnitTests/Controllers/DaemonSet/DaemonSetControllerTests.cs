using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.DaemonSet.DaemonSetObjects;

namespace Berth.UnitTests.Controllers.DaemonSet;

public sealed class DaemonSetControllerTests : IAsyncDisposable
{
    private readonly DaemonSetTestHost _host = new(new FakeTimeProvider(DateTimeOffset.UtcNow));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<int> ActiveCountAsync() => (await _host.ActivePodsByNodeAsync()).Sum(g => g.Count());

    [Fact]
    public async Task Sync_ThreeNodes_CreatesOnePodPerNodePinnedByNodeAffinity()
    {
        foreach (var node in (string[])["n1", "n2", "n3"])
        {
            await _host.CreateNodeAsync(node);
        }
        _host.Run();
        var ds = await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));

        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "currentNumberScheduled") == 3);

        var byNode = await _host.ActivePodsByNodeAsync();
        Assert.Equal(["n1", "n2", "n3"], byNode.Select(g => g.Key).Order());
        Assert.All(byNode, g => Assert.Single(g));
        var pod = byNode["n2"].Single();
        Assert.StartsWith("agent-", pod.GetName(), StringComparison.Ordinal);
        Assert.Equal(ds.GetUid(), OwnerReferences.GetControllerOf(pod)!.GetString("uid"));
        var term = pod.GetPath("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")!.AsArray().Single()!;
        Assert.Equal("""{"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]}""", term.ToJsonString());
        var tolerations = pod.GetArray("spec", "tolerations")!.Select(t => $"{t!["key"]}:{t["effect"]}").ToList();
        Assert.Contains("node.kubernetes.io/not-ready:NoExecute", tolerations);
        Assert.Contains("node.kubernetes.io/unschedulable:NoSchedule", tolerations);
        Assert.DoesNotContain("node.kubernetes.io/network-unavailable:NoSchedule", tolerations);
        Assert.NotNull(DaemonSetTestHost.HashOf(pod));
        Assert.Equal(3, await _host.StatusAsync("agent", "desiredNumberScheduled"));
        Assert.Equal(3, await _host.StatusAsync("agent", "updatedNumberScheduled"));
        Assert.Equal(3, await _host.StatusAsync("agent", "numberUnavailable"));
        Assert.Equal(1, await _host.StatusAsync("agent", "observedGeneration"));
        Assert.Equal(3, _host.Events.Events.Count(e => e.Reason == "SuccessfulCreate"));
    }

    [Fact]
    public async Task Sync_PodsReady_StatusCountsReadyAndAvailable()
    {
        await _host.CreateNodeAsync("n1");
        await _host.CreateNodeAsync("n2");
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));
        await _host.WaitUntilAsync(async () => await ActiveCountAsync() == 2);

        await _host.MarkAllReadyAsync();

        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "numberAvailable") == 2);
        Assert.Equal(2, await _host.StatusAsync("agent", "numberReady"));
        Assert.Equal(0, await _host.StatusAsync("agent", "numberUnavailable"));
        Assert.Equal(0, await _host.StatusAsync("agent", "numberMisscheduled"));
    }

    [Fact]
    public async Task Sync_NodeSelector_FollowsNodeLabels()
    {
        await _host.CreateNodeAsync("n1", new JsonObject { ["role"] = "edge" });
        await _host.CreateNodeAsync("n2");
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent", nodeSelector: new JsonObject { ["role"] = "edge" }));
        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "currentNumberScheduled") == 1);
        Assert.Equal(["n1"], (await _host.ActivePodsByNodeAsync()).Select(g => g.Key));

        await _host.UpdateNodeAsync("n2", n => n.SetPath("edge", "metadata", "labels", "role"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsByNodeAsync()).Contains("n2"), "a labelled node gets a daemon");

        await _host.UpdateNodeAsync("n1", n => n.GetObject("metadata", "labels")!.Remove("role"));
        await _host.WaitUntilAsync(async () => !(await _host.ActivePodsByNodeAsync()).Contains("n1"), "an unlabelled node loses its daemon");
        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "desiredNumberScheduled") == 1
            && await _host.StatusAsync("agent", "numberMisscheduled") == 0 && await _host.StatusAsync("agent", "currentNumberScheduled") == 1);
        await _host.Events.WaitForAsync(e => e.Reason == "SuccessfulDelete");
    }

    [Fact]
    public async Task Sync_NoScheduleTaint_KeepsRunningPodButCountsItMisscheduled()
    {
        await _host.CreateNodeAsync("n1");
        await _host.CreateNodeAsync("n2", taints: [Taint("dedicated", "db", "NoSchedule")]);
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));
        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "currentNumberScheduled") == 1);
        Assert.Equal(["n1"], (await _host.ActivePodsByNodeAsync()).Select(g => g.Key));

        await _host.UpdateNodeAsync("n1", n => n["spec"]!["taints"] = new JsonArray(Taint("dedicated", "db", "NoSchedule")));

        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "numberMisscheduled") == 1);
        Assert.Equal(0, await _host.StatusAsync("agent", "desiredNumberScheduled"));
        Assert.Equal(["n1"], (await _host.ActivePodsByNodeAsync()).Select(g => g.Key));
    }

    [Fact]
    public async Task Sync_NoExecuteTaint_DeletesPodUnlessTolerated()
    {
        await _host.CreateNodeAsync("n1");
        await _host.CreateNodeAsync("n2");
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("plain"));
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("tolerant",
            tolerations: [new JsonObject { ["key"] = "maintenance", ["operator"] = "Exists", ["effect"] = "NoExecute" }]));
        await _host.WaitUntilAsync(async () => await ActiveCountAsync() == 4);

        await _host.UpdateNodeAsync("n2", n => n["spec"]!["taints"] = new JsonArray(Taint("maintenance", "", "NoExecute")));

        await _host.WaitUntilAsync(async () => (await _host.ActivePodsByNodeAsync())["n2"].Count() == 1, "the plain daemon leaves n2");
        var left = (await _host.ActivePodsByNodeAsync())["n2"].Single();
        Assert.Equal("tolerant", left.GetString("metadata", "labels", "app"));
        await _host.WaitUntilAsync(async () => await _host.StatusAsync("plain", "desiredNumberScheduled") == 1);
        Assert.Equal(2, await _host.StatusAsync("tolerant", "desiredNumberScheduled"));
    }

    [Fact]
    public async Task Sync_CordonedNode_StillGetsDaemonPod()
    {
        await _host.CreateNodeAsync("n1", unschedulable: true, taints: [Taint("node.kubernetes.io/unschedulable", "", "NoSchedule")]);
        _host.Run();

        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));

        await _host.WaitUntilAsync(async () => await _host.StatusAsync("agent", "currentNumberScheduled") == 1);
    }

    [Fact]
    public async Task Sync_NodeAddedAndDeleted_PodFollows()
    {
        await _host.CreateNodeAsync("n1");
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));
        await _host.WaitUntilAsync(async () => await ActiveCountAsync() == 1);

        await _host.CreateNodeAsync("n2");
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsByNodeAsync()).Contains("n2"));

        await _host.Api.DeleteAsync(KindRegistry.Nodes, null, "n2");
        await _host.WaitUntilAsync(async () => !(await _host.ActivePodsByNodeAsync()).Contains("n2"), "an unbound pod for a deleted node is removed");
    }

    [Fact]
    public async Task Sync_SurplusPodOnNode_DeletesAllButTheOldest()
    {
        await _host.CreateNodeAsync("n1");
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));
        await _host.WaitUntilAsync(async () => await ActiveCountAsync() == 1);
        var original = (await _host.PodsAsync()).Single();
        var copy = ApiJson.Clone(original);
        copy.Metadata().Remove("uid");
        copy.Metadata().Remove("resourceVersion");
        copy.Metadata().Remove("creationTimestamp");
        copy.Metadata()["name"] = "agent-extra";
        copy.Remove("status");
        _host.FakeTime!.Advance(TimeSpan.FromSeconds(2));

        await _host.Api.CreateAsync(KindRegistry.Pods, DaemonSetTestHost.Ns, copy);

        await _host.WaitUntilAsync(async () => (await _host.PodsAsync()).Count == 1 && (await _host.PodsAsync())[0].GetName() == original.GetName(),
            "the newer surplus pod goes");
    }

    [Fact]
    public async Task Sync_WithScheduler_EachPodBoundToItsOwnNode()
    {
        foreach (var node in (string[])["n1", "n2", "n3"])
        {
            await _host.CreateNodeAsync(node);
        }
        _host.Run(scheduler: true);

        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));

        await _host.WaitUntilAsync(async () => (await _host.PodsAsync()) is { Count: 3 } pods && pods.All(p => p.GetString("spec", "nodeName") is not null));
        foreach (var pod in await _host.PodsAsync())
        {
            var pinned = pod["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchFields"]![0]!["values"]![0]!.GetValue<string>();
            Assert.Equal(pinned, pod.GetString("spec", "nodeName"));
        }
    }
}

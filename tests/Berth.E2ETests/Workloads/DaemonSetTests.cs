using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// Issue 5 §3 "DaemonSet on two agents": a server plus two <c>berth agent</c> nodes labelled for the daemon get one
/// pod each (the server's own node is not labelled and gets none); a NoExecute taint and a label removal each take a
/// node's pod away, and <c>set image</c>, <c>rollout restart</c>, <c>rollout history</c> and <c>rollout undo</c> work
/// with <c>rollout status ds</c>.
/// </summary>
[Trait("Category", "E2E")]
public sealed class DaemonSetTests
{
    private const string Ns = "default";
    private const string Name = "daemon";

    /// <summary>The daemon's pods that are not terminating.</summary>
    private static async Task<List<JsonNode>> ActivePodsAsync(Kubectl k)
    {
        var items = JsonNode.Parse(await k.OkAsync($"get pods -n {Ns} -l app={Name} -o json"))!["items"]!.AsArray();
        return [.. items.Where(p => p!["metadata"]!["deletionTimestamp"] is null).Select(p => p!)];
    }

    private static async Task<Dictionary<string, string>> PodNodesAsync(Kubectl k) =>
        (await ActivePodsAsync(k)).ToDictionary(p => (string)p["metadata"]!["name"]!, p => (string?)p["spec"]!["nodeName"] ?? "");

    private static async Task<IEnumerable<string>> ImagesAsync(Kubectl k) =>
        (await ActivePodsAsync(k)).Select(p => (string)p["spec"]!["containers"]![0]!["image"]!);

    private static Task WaitForPodNodesAsync(Kubectl k, string[] nodes, string because) =>
        AsyncTestHelpers.WaitUntilAsync(async () => (await PodNodesAsync(k)).Values.Order().SequenceEqual(nodes), TimeSpan.FromSeconds(40), because);

    private static async Task RolloutStatusAsync(Kubectl k)
    {
        var r = await k.RunAsync($"rollout status ds/{Name} -n {Ns} --timeout=50s", timeout: TimeSpan.FromSeconds(55));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"daemon set \"{Name}\" successfully rolled out", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonSet_TwoAgents_OnePodPerEligibleNodeThroughTaintsLabelsAndRollouts()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory");
        var k = new Kubectl(server);
        await using var agentB = await AgentProcess.StartAsync(server, "node-b", shutdownGracePeriod: "5s");
        await using var agentC = await AgentProcess.StartAsync(server, "node-c", shutdownGracePeriod: "5s");
        await k.OkAsync("wait --for=condition=Ready node/node-b node/node-c --timeout=40s");
        await k.OkAsync($"label node node-b node-c {DaemonSetManifests.NodeLabel}=yes");

        await k.OkAsync("apply -f -", DaemonSetManifests.DaemonSet(Ns, Name));
        await RolloutStatusAsync(k);
        Assert.Equal(["node-b", "node-c"], (await PodNodesAsync(k)).Values.Order());
        Assert.Matches($@"{Name}\s+2\s+2\s+2\s+2\s+2\s+{DaemonSetManifests.NodeLabel}=yes", await k.OkAsync($"get ds {Name} -n {Ns}"));

        await k.OkAsync("taint node node-c maintenance=now:NoExecute");
        await WaitForPodNodesAsync(k, ["node-b"], "a NoExecute taint without toleration removes node-c's pod");
        await k.OkAsync("taint node node-c maintenance=now:NoExecute-");
        await WaitForPodNodesAsync(k, ["node-b", "node-c"], "the untainted node gets its pod back");

        await k.OkAsync($"label node node-b {DaemonSetManifests.NodeLabel}-");
        await WaitForPodNodesAsync(k, ["node-c"], "a node that loses the label loses its pod");
        await k.OkAsync($"label node node-b {DaemonSetManifests.NodeLabel}=yes");
        await RolloutStatusAsync(k);

        await k.OkAsync($"set image ds/{Name} app=busybox:1.37 -n {Ns}");
        await RolloutStatusAsync(k);
        Assert.Equal(["busybox:1.37", "busybox:1.37"], await ImagesAsync(k));
        await k.OkAsync($"rollout restart ds/{Name} -n {Ns}");
        await RolloutStatusAsync(k);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>\s+3\s+<none>", await k.OkAsync($"rollout history ds/{Name} -n {Ns}"));

        Assert.Contains($"daemonset.apps/{Name} rolled back", await k.OkAsync($"rollout undo ds/{Name} -n {Ns} --to-revision=1"), StringComparison.Ordinal);
        await RolloutStatusAsync(k);
        Assert.Equal(["busybox:1.36", "busybox:1.36"], await ImagesAsync(k));
        Assert.Equal(["node-b", "node-c"], (await PodNodesAsync(k)).Values.Order());
    }
}

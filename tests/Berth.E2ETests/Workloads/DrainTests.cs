using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// Issue 5 end to end: PodDisruptionBudgets, the eviction subresource and <c>kubectl drain</c>. The drain runs on a
/// two-node cluster (the server's node and a <c>berth agent</c>): a 2-replica Deployment on the server's node with
/// a budget of minAvailable 1 lets the first eviction through and answers the second with 429 until the first pod's
/// replacement is Ready on the agent's node.
/// </summary>
[Trait("Category", "E2E")]
public sealed class DrainTests
{
    private static readonly string ServerNode = WorkloadManifests.Node;
    private const string AgentNode = "node-b";

    private static JsonArray Items(string json) => JsonNode.Parse(json)!["items"]!.AsArray();

    private static string Name(JsonNode? obj) => (string)obj!["metadata"]!["name"]!;

    private static DateTimeOffset? ReadySince(JsonNode? pod) =>
        pod!["status"]!["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True")
            ?["lastTransitionTime"] is { } t ? DateTimeOffset.Parse((string)t!, CultureInfo.InvariantCulture) : null;

    [Fact]
    public async Task Drain_BudgetMinAvailableOne_SecondEvictionWaitsForReadyReplacement()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory");
        var k = new Kubectl(server);
        await using var agent = await AgentProcess.StartAsync(server, AgentNode);
        await k.OkAsync($"wait --for=condition=Ready node/{AgentNode} node/{ServerNode} --timeout=30s");
        var markers = Directory.CreateTempSubdirectory("berth-drain-markers-").FullName;

        await k.OkAsync($"cordon {AgentNode}");
        await k.OkAsync("apply -f -", DrainManifests.Deployment("default", "web", 2, markers));
        await k.OkAsync("apply -f -", DrainManifests.Budget("default", "web", "web", "minAvailable: 1"));
        await k.OkAsync("rollout status deploy/web --timeout=40s");
        var original = Items(await k.OkAsync("get pods -l app=web -o json"));
        Assert.All(original, p => Assert.Equal(ServerNode, (string?)p!["spec"]!["nodeName"]));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.OkAsync("get pdb web -o jsonpath={.status.disruptionsAllowed}")).Trim() == "1",
            because: "the disruption controller allows one disruption of two ready pods");
        await k.OkAsync($"uncordon {AgentNode}");

        var drain = await k.RunAsync($"drain {ServerNode} --ignore-daemonsets --delete-emptydir-data --timeout=100s", timeout: TimeSpan.FromSeconds(120));
        var drained = DateTimeOffset.UtcNow;

        Assert.True(drain.ExitCode == 0, $"drain failed: {drain}\nserver:\n{server.Output}");
        Assert.Contains($"node/{ServerNode} cordoned", drain.Stdout, StringComparison.Ordinal);
        Assert.Contains($"node/{ServerNode} drained", drain.Stdout, StringComparison.Ordinal);
        Assert.Contains("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.", drain.Stderr, StringComparison.Ordinal);
        foreach (var pod in original)
        {
            Assert.Contains($"pod/{Name(pod)} evicted", drain.Stdout, StringComparison.Ordinal);
            Assert.Equal("TERM", File.ReadAllText(Path.Combine(markers, Name(pod))).Trim());
        }

        var replacements = Items(await k.OkAsync("get pods -l app=web -o json"));
        Assert.Equal(2, replacements.Count);
        Assert.All(replacements, p => Assert.Equal(AgentNode, (string?)p!["spec"]!["nodeName"]));
        var firstReady = replacements.Select(ReadySince).Min();
        Assert.NotNull(firstReady);
        Assert.True(drained >= firstReady, $"drain finished at {drained:O}, before the first replacement was ready at {firstReady:O}");
        var node = JsonNode.Parse(await k.OkAsync($"get node {ServerNode} -o json"))!;
        Assert.True((bool?)node["spec"]!["unschedulable"]);
        var killing = Items(await k.OkAsync("get events --field-selector reason=Killing -o json"));
        Assert.All(original, p => Assert.Contains(killing, e => (string?)e!["involvedObject"]!["name"] == Name(p)));

        await k.OkAsync($"uncordon {ServerNode}");
        Assert.Null(JsonNode.Parse(await k.OkAsync($"get node {ServerNode} -o json"))!["spec"]!["unschedulable"]);
    }

    [Fact]
    public async Task Eviction_BudgetExhausted_Returns429StatusThenEvictsOnceAllowed()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory");
        var k = new Kubectl(server);
        var markers = Directory.CreateTempSubdirectory("berth-evict-markers-").FullName;
        await k.OkAsync("apply -f -", DrainManifests.Deployment("default", "web", 1, markers));
        await k.OkAsync("apply -f -", DrainManifests.Budget("default", "web", "web", "minAvailable: 1"));
        await k.OkAsync("apply -f -", DrainManifests.Budget("default", "web-max", "other", "maxUnavailable: 25%"));
        await k.OkAsync("rollout status deploy/web --timeout=40s");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.OkAsync("get pdb web -o jsonpath={.status.currentHealthy}")).Trim() == "1",
            because: "the disruption controller counted the ready pod");
        var pod = Name(Items(await k.OkAsync("get pods -l app=web -o json")).Single());
        using var http = BerthHttp.Create(server);

        using var refused = await http.PostAsync($"/api/v1/namespaces/default/pods/{pod}/eviction",
            new StringContent(DrainManifests.Eviction("default", pod), Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Retry-After"));
        var status = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(("Status", "Failure", "TooManyRequests", 429), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"]));
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", (string?)status["message"]);
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal(("DisruptionBudget", "The disruption budget web needs 1 healthy pods and has 1 currently"), ((string?)cause["reason"], (string?)cause["message"]));
        var table = (await k.OkAsync("get pdb")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED", "DISRUPTIONS", "AGE"], table[0]);
        Assert.Equal(["web", "1", "N/A", "0"], table.Single(r => r[0] == "web")[..4]);
        Assert.Equal(["web-max", "N/A", "25%", "0"], table.Single(r => r[0] == "web-max")[..4]);

        await k.OkAsync("scale deploy/web --replicas=2");
        await k.OkAsync("rollout status deploy/web --timeout=40s");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.OkAsync("get pdb web -o jsonpath={.status.disruptionsAllowed}")).Trim() == "1",
            because: "a second ready pod allows one disruption");
        using var accepted = await http.PostAsync($"/api/v1/namespaces/default/pods/{pod}/eviction",
            new StringContent(DrainManifests.Eviction("default", pod), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("Success", (string?)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["status"]);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.RunAsync($"get pod {pod}")).ExitCode != 0, because: "the evicted pod is deleted");
        Assert.Equal("TERM", File.ReadAllText(Path.Combine(markers, pod)).Trim());
    }
}

using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>Issue 5 end to end: <c>kubectl delete deployment</c> with each <c>--cascade</c> policy.</summary>
[Trait("Category", "E2E")]
public sealed class CascadingDeleteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private async Task<string> DeployAsync(string prefix)
    {
        var ns = await fixture.NewNamespaceAsync(prefix);
        await K.OkAsync("apply -f -", WorkloadManifests.Deployment(ns, "web", 2));
        await K.OkAsync($"rollout status deploy/web -n {ns} --timeout=35s");
        return ns;
    }

    private async Task<JsonArray> ItemsAsync(string ns, string resource) =>
        JsonNode.Parse(await K.OkAsync($"get {resource} -n {ns} -o json"))!["items"]!.AsArray();

    [Fact]
    public async Task DeleteDeployment_Background_RemovesReplicaSetsThenPodsGracefully()
    {
        var ns = await DeployAsync("bg");
        await using var watch = K.Start($"get pods -n {ns} -w --no-headers");
        await AsyncTestHelpers.WaitUntilAsync(() => watch.Lines.Count >= 2, because: "the watch listed the pods before the delete");

        Assert.Contains("deployment.apps \"web\" deleted", await K.OkAsync($"delete deployment web -n {ns}"), StringComparison.Ordinal);

        await AsyncTestHelpers.WaitUntilAsync(async () => (await ItemsAsync(ns, "rs")).Count == 0, because: "the ReplicaSet is collected");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await ItemsAsync(ns, "pods")).Count == 0, because: "then its pods");
        Assert.Contains(watch.Lines, l => l.Contains("Terminating", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteDeployment_Orphan_LeavesReplicaSetAndPods()
    {
        var ns = await DeployAsync("orphan");

        await K.OkAsync($"delete deployment web -n {ns} --cascade=orphan");

        await AsyncTestHelpers.WaitUntilAsync(async () => (await ItemsAsync(ns, "rs")).All(rs => rs!["metadata"]!["ownerReferences"] is null),
            because: "the ReplicaSet loses its owner reference");
        await Task.Delay(1000);
        var rs = Assert.Single(await ItemsAsync(ns, "rs"));
        Assert.Equal(2, (int?)rs!["status"]!["readyReplicas"]);
        var pods = await ItemsAsync(ns, "pods");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Null(p!["metadata"]!["deletionTimestamp"]));
        await K.OkAsync($"delete rs --all -n {ns}");
    }

    [Fact]
    public async Task DeleteDeployment_Foreground_ReturnsOnceDependentsAreGone()
    {
        var ns = await DeployAsync("fg");

        await K.OkAsync($"delete deployment web -n {ns} --cascade=foreground");

        Assert.Empty(await ItemsAsync(ns, "rs"));
        Assert.Empty(await ItemsAsync(ns, "pods"));
    }
}

using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// Issue 5, StatefulSets end to end with the real kubectl: ordered creation, ordered graceful scale-down, a
/// partitioned rolling update, and rollout history / undo / restart over ControllerRevisions.
/// </summary>
[Trait("Category", "E2E")]
public sealed class StatefulSetTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private async Task<string> RolloutStatusAsync(string ns, string name = "web")
    {
        var r = await K.RunAsync($"rollout status sts/{name} -n {ns} --timeout=50s", timeout: TimeSpan.FromSeconds(55));
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout;
    }

    private static string PartitionPatch(int partition) =>
        new JsonObject { ["spec"] = new JsonObject { ["updateStrategy"] = new JsonObject { ["rollingUpdate"] = new JsonObject { ["partition"] = partition } } } }
            .ToJsonString();

    private async Task<JsonArray> PodsAsync(string ns) =>
        JsonNode.Parse(await K.OkAsync($"get pods -n {ns} -o json"))!["items"]!.AsArray();

    private async Task<Dictionary<string, string>> ImagesAsync(string ns) =>
        (await PodsAsync(ns)).ToDictionary(p => (string)p!["metadata"]!["name"]!, p => (string)p!["spec"]!["containers"]![0]!["image"]!);

    /// <summary>Index of the first watch line that starts with <paramref name="eventType"/> and names <paramref name="pod"/> and contains <paramref name="text"/>.</summary>
    private static int IndexOf(IReadOnlyList<string> lines, string eventType, string pod, string text = "") =>
        lines.ToList().FindIndex(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var type, var name, ..] && type == eventType &&
            name == pod && l.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task ApplyThenScaleDown_OrderedReady_CreatesInOrderAndDeletesEachPodFullyBeforeTheNext()
    {
        var ns = await fixture.NewNamespaceAsync("sts");
        await using var watch = K.Start($"get pods -n {ns} -w --output-watch-events --no-headers");
        await K.OkAsync("apply -f -", StatefulSetManifests.StatefulSet(ns, "web", 3, StatefulSetManifests.IgnoresTerm, gracePeriod: 2));

        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", await RolloutStatusAsync(ns), StringComparison.Ordinal);
        var added = (string[])["web-0", "web-1", "web-2"];
        var addedAt = added.Select(p => IndexOf(watch.Lines, "ADDED", p)).ToList();
        Assert.True(addedAt.All(i => i >= 0) && addedAt.SequenceEqual(addedAt.Order()), string.Join('\n', watch.Lines));
        var sts = JsonNode.Parse(await K.OkAsync($"get sts web -n {ns} -o json"))!;
        Assert.Equal((3, 3, 3), ((int?)sts["status"]!["readyReplicas"], (int?)sts["status"]!["currentReplicas"], (int?)sts["status"]!["availableReplicas"]));
        var web1 = (await PodsAsync(ns)).Single(p => (string?)p!["metadata"]!["name"] == "web-1")!;
        Assert.Equal(("web-1", "web"), ((string?)web1["spec"]!["hostname"], (string?)web1["spec"]!["subdomain"]));
        Assert.Equal("1", (string?)web1["metadata"]!["labels"]!["apps.kubernetes.io/pod-index"]);

        Assert.Contains("statefulset.apps/web scaled", await K.OkAsync($"scale sts/web --replicas=1 -n {ns}"), StringComparison.Ordinal);

        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodsAsync(ns)).Count == 1, TimeSpan.FromSeconds(40), "scaled down to web-0");
        await AsyncTestHelpers.WaitUntilAsync(() => IndexOf(watch.Lines, "DELETED", "web-1") >= 0, because: "the watch saw web-1 go");
        var lines = watch.Lines;
        var web2Terminating = IndexOf(lines, "MODIFIED", "web-2", "Terminating");
        var web2Gone = IndexOf(lines, "DELETED", "web-2");
        var web1Terminating = IndexOf(lines, "MODIFIED", "web-1", "Terminating");
        Assert.True(web2Terminating >= 0 && web2Terminating < web2Gone && web2Gone < web1Terminating, string.Join('\n', lines));
        Assert.Equal("web-0", (string?)(await PodsAsync(ns)).Single()!["metadata"]!["name"]);
    }

    [Fact]
    public async Task RollingUpdate_PartitionThenFullThenUndoAndRestart_BehaveAsOnACluster()
    {
        var ns = await fixture.NewNamespaceAsync("stsroll");
        await K.OkAsync("apply -f -", StatefulSetManifests.StatefulSet(ns, "web", 3));
        await RolloutStatusAsync(ns);

        await K.OkAsync($"patch sts web -n {ns} -p '{PartitionPatch(2)}'");
        await K.OkAsync($"set image sts/web app=busybox:2 -n {ns}");
        Assert.Contains("partitioned roll out complete: 1 new pods have been updated", await RolloutStatusAsync(ns), StringComparison.Ordinal);
        var images = await ImagesAsync(ns);
        Assert.Equal(("busybox:1.36", "busybox:1.36", "busybox:2"), (images["web-0"], images["web-1"], images["web-2"]));
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", await K.OkAsync($"rollout history sts/web -n {ns}"));
        Assert.Contains("busybox:2", await K.OkAsync($"rollout history sts/web -n {ns} --revision=2"), StringComparison.Ordinal);

        await K.OkAsync($"patch sts web -n {ns} -p '{PartitionPatch(0)}'");
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", await RolloutStatusAsync(ns), StringComparison.Ordinal);
        Assert.All((await ImagesAsync(ns)).Values, i => Assert.Equal("busybox:2", i));

        Assert.Contains("statefulset.apps/web rolled back", await K.OkAsync($"rollout undo sts/web -n {ns}"), StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await ImagesAsync(ns)).Values.All(i => i == "busybox:1.36"), TimeSpan.FromSeconds(40),
            "undo rolled every pod back");
        await RolloutStatusAsync(ns);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>", await K.OkAsync($"rollout history sts/web -n {ns}"));
        Assert.Equal(2, JsonNode.Parse(await K.OkAsync($"get controllerrevisions -n {ns} -o json"))!["items"]!.AsArray().Count);

        var before = (string?)JsonNode.Parse(await K.OkAsync($"get sts web -n {ns} -o json"))!["status"]!["updateRevision"];
        Assert.Contains("statefulset.apps/web restarted", await K.OkAsync($"rollout restart sts/web -n {ns}"), StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var revision = (string?)JsonNode.Parse(await K.OkAsync($"get sts web -n {ns} -o json"))!["status"]!["updateRevision"];
            var pods = await PodsAsync(ns);
            return revision != before && pods.Count == 3 && pods.All(p => (string?)p!["metadata"]!["labels"]!["controller-revision-hash"] == revision);
        },
            TimeSpan.FromSeconds(40), "restart replaced every pod");
        await RolloutStatusAsync(ns);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>\s+4\s+<none>", await K.OkAsync($"rollout history sts/web -n {ns}"));
    }
}

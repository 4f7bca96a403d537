using System.Text.Json.Nodes;

namespace Berth.E2ETests.Workloads;

/// <summary>
/// Issue 5 end to end: Deployments rolled out, updated, rolled back, paused, restarted and scaled with the real
/// kubectl, their pods running as real processes under the in-process node agent.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RolloutTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private async Task RolloutStatusAsync(string ns, string name = "web")
    {
        var r = await K.RunAsync($"rollout status deploy/{name} -n {ns} --timeout=35s", timeout: TimeSpan.FromSeconds(40));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"deployment \"{name}\" successfully rolled out", r.Stdout, StringComparison.Ordinal);
    }

    private async Task<JsonArray> ItemsAsync(string ns, string resource) =>
        JsonNode.Parse(await K.OkAsync($"get {resource} -n {ns} -o json"))!["items"]!.AsArray();

    [Fact]
    public async Task SetImageHistoryUndoRestart_SurgeOne_NeverFewerReadyThanDesired()
    {
        var ns = await fixture.NewNamespaceAsync("roll");
        await K.OkAsync("apply -f -", WorkloadManifests.Deployment(ns, "web", 3));
        await RolloutStatusAsync(ns);
        await using var watch = K.Start($"get deploy web -n {ns} -w -o custom-columns=READY:.status.readyReplicas,UPDATED:.status.updatedReplicas --no-headers");

        await K.OkAsync($"set image deploy/web app=busybox:2 -n {ns}");
        await RolloutStatusAsync(ns);

        var history = await K.OkAsync($"rollout history deploy/web -n {ns}");
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);
        Assert.Contains("deployment.apps/web rolled back", await K.OkAsync($"rollout undo deploy/web -n {ns}"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);

        Assert.Equal(2, (await ItemsAsync(ns, "rs")).Count);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>", await K.OkAsync($"rollout history deploy/web -n {ns}"));
        AssertNeverFewerReadyThan(3, watch.Lines);
        var skipped = await K.OkAsync($"rollout undo deploy/web -n {ns} --to-revision=3");
        Assert.Contains("skipped rollback (current template already matches revision 3)", skipped, StringComparison.Ordinal);

        var seen = watch.Lines.Count;
        Assert.Contains("deployment.apps/web restarted", await K.OkAsync($"rollout restart deploy/web -n {ns}"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        Assert.Equal(3, (await ItemsAsync(ns, "rs")).Count);
        await AsyncTestHelpers.WaitUntilAsync(() => watch.Lines.Count > seen, because: "the watch saw the restart's rollout");
        AssertNeverFewerReadyThan(3, watch.Lines);
    }

    /// <summary>Every line of a <c>READY UPDATED</c> watch shows at least <paramref name="desired"/> ready replicas.</summary>
    private static void AssertNeverFewerReadyThan(int desired, IReadOnlyList<string> lines)
    {
        var readyCounts = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToList();
        Assert.NotEmpty(readyCounts);
        Assert.All(readyCounts, r => Assert.True(int.TryParse(r, out var n) && n >= desired, $"ready dropped to {r}: {string.Join(" | ", lines)}"));
    }

    [Fact]
    public async Task PauseResumeRestartScale_BehaveAsOnACluster()
    {
        var ns = await fixture.NewNamespaceAsync("pause");
        await K.OkAsync("apply -f -", WorkloadManifests.Deployment(ns, "web", 2));
        await RolloutStatusAsync(ns);

        Assert.Contains("deployment.apps/web paused", await K.OkAsync($"rollout pause deploy/web -n {ns}"), StringComparison.Ordinal);
        await K.OkAsync($"set image deploy/web app=busybox:2 -n {ns}");
        await Task.Delay(1500);
        Assert.Single(await ItemsAsync(ns, "rs"));
        Assert.Contains("deployment.apps/web resumed", await K.OkAsync($"rollout resume deploy/web -n {ns}"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        Assert.Equal(2, (await ItemsAsync(ns, "rs")).Count);

        Assert.Contains("deployment.apps/web restarted", await K.OkAsync($"rollout restart deploy/web -n {ns}"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        Assert.Equal(3, (await ItemsAsync(ns, "rs")).Count);

        Assert.Contains("deployment.apps/web scaled", await K.OkAsync($"scale deploy/web --replicas=3 -n {ns}"), StringComparison.Ordinal);
        await RolloutStatusAsync(ns);
        await K.OkAsync($"scale deploy/web --replicas=1 -n {ns}");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await ItemsAsync(ns, "pods")).Count == 1, because: "scale-down leaves one pod");
        var d = JsonNode.Parse(await K.OkAsync($"get deploy web -n {ns} -o json"))!;
        Assert.Equal(1, (int?)d["status"]!["readyReplicas"]);
    }

    [Fact]
    public async Task RolloutStatus_NeverReady_ExceedsProgressDeadline()
    {
        var ns = await fixture.NewNamespaceAsync("stuck");
        var manifest = WorkloadManifests.Deployment(ns, "web", 1).Replace("command: [\"true\"]", "command: [\"false\"]", StringComparison.Ordinal)
            .Replace("  replicas: 1\n", "  replicas: 1\n  progressDeadlineSeconds: 2\n", StringComparison.Ordinal);
        await K.OkAsync("apply -f -", manifest);

        var r = await K.RunAsync($"rollout status deploy/web -n {ns} --timeout=30s", timeout: TimeSpan.FromSeconds(35));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: deployment \"web\" exceeded its progress deadline", r.Stderr, StringComparison.Ordinal);
        var d = JsonNode.Parse(await K.OkAsync($"get deploy web -n {ns} -o json"))!;
        var progressing = d["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Progressing")!;
        Assert.Equal(("False", "ProgressDeadlineExceeded"), ((string?)progressing["status"], (string?)progressing["reason"]));
    }
}

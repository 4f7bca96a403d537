using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// kubectl delete flags against the API's graceful-deletion rules (kubernetes-termination.md §1). Pods are bound to a
/// node that has no agent, so a graceful delete leaves them Terminating until a shorter or forced delete.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlDeleteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string GhostNode = "ghost-node";

    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task Delete_GracePeriodThenShortenThenForce_FollowsUpstreamArithmetic()
    {
        var ns = await fixture.NewNamespaceAsync("del");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "g1", GhostNode));

        Assert.Contains("pod \"g1\" deleted", await K.OkAsync($"delete pod g1 -n {ns} --grace-period=30 --wait=false"), StringComparison.Ordinal);
        Assert.Equal(30, await GraceAsync(ns, "g1"));
        Assert.Matches(@"g1\s+0/1\s+Terminating", await K.OkAsync($"get pods -n {ns}"));

        await K.OkAsync($"delete pod g1 -n {ns} --grace-period=10 --wait=false");
        Assert.Equal(10, await GraceAsync(ns, "g1"));
        await K.OkAsync($"delete pod g1 -n {ns} --grace-period=60 --wait=false");
        Assert.Equal(10, await GraceAsync(ns, "g1"));

        var force = await K.RunAsync($"delete pod g1 -n {ns} --force --grace-period=0");
        Assert.Equal(0, force.ExitCode);
        Assert.Contains("Immediate deletion does not wait for confirmation", force.Stderr, StringComparison.Ordinal);
        Assert.Contains("pod \"g1\" force deleted", force.Stdout, StringComparison.Ordinal);
        var gone = await K.RunAsync($"get pod g1 -n {ns}");
        Assert.Contains("pods \"g1\" not found", gone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Now_SendsOneSecond()
    {
        var ns = await fixture.NewNamespaceAsync("now");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "n1", GhostNode));
        await K.OkAsync($"delete pod n1 -n {ns} --now --wait=false");
        Assert.Equal(1, await GraceAsync(ns, "n1"));
    }

    [Fact]
    public async Task Delete_UnscheduledPod_IsImmediateAndWaitReturns()
    {
        var ns = await fixture.NewNamespaceAsync("unsched");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "u1", nodeName: null, scheduler: "manual-scheduler"));
        Assert.Contains("pod \"u1\" deleted", await K.OkAsync($"delete pod u1 -n {ns} --grace-period=60"), StringComparison.Ordinal);
        Assert.Contains("not found", (await K.RunAsync($"get pod u1 -n {ns}")).Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteWait_ReturnsWhenTheObjectFinallyGoes()
    {
        var ns = await fixture.NewNamespaceAsync("wait");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "w1", GhostNode));
        await using var deleting = K.Start($"delete pod w1 -n {ns} --grace-period=30");
        await AsyncTestHelpers.WaitUntilAsync(() => deleting.Lines.Any(l => l.Contains("deleted", StringComparison.Ordinal)),
            because: "kubectl printed the delete and now waits");
        Assert.False(deleting.HasExited);
        await K.OkAsync($"delete pod w1 -n {ns} --force --grace-period=0");
        await AsyncTestHelpers.WaitUntilAsync(() => deleting.HasExited, because: "kubectl delete --wait saw the DELETED event");
    }

    [Fact]
    public async Task Wait_ForConditionAndForDelete()
    {
        var ns = await fixture.NewNamespaceAsync("cond");
        await K.OkAsync("apply -f -", Manifests.Pod(ns, "c1", GhostNode));
        await using var waitReady = K.Start($"wait --for=condition=Ready pod/c1 -n {ns} --timeout=60s");
        await K.OkAsync($"patch pod c1 -n {ns} --subresource=status --type=merge -p '{{\"status\":{{\"conditions\":[{{\"type\":\"Ready\",\"status\":\"True\"}}]}}}}'");
        await AsyncTestHelpers.WaitUntilAsync(() => waitReady.Lines.Any(l => l.Contains("pod/c1 condition met", StringComparison.Ordinal)),
            because: "kubectl wait saw Ready=True");

        await using var waitDelete = K.Start($"wait --for=delete pod/c1 -n {ns} --timeout=60s");
        await K.OkAsync($"delete pod c1 -n {ns} --force --grace-period=0");
        await AsyncTestHelpers.WaitUntilAsync(() => waitDelete.HasExited, because: "kubectl wait --for=delete returned");
    }

    private async Task<long> GraceAsync(string ns, string name)
    {
        var pod = JsonNode.Parse(await K.OkAsync($"get pod {name} -n {ns} -o json"))!;
        Assert.NotNull(pod["metadata"]!["deletionTimestamp"]);
        return (long)pod["metadata"]!["deletionGracePeriodSeconds"]!;
    }
}

using System.Text.RegularExpressions;

namespace Berth.E2ETests.Termination;

/// <summary>
/// kubernetes-termination.md §9 scenarios 8 and 20 as kubectl shows them, against the real berth binary: force
/// delete output, <c>describe</c> during the grace window, and the <c>get -w</c> rows of a pod killed at expiry.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlTerminationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Node = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    private static string Pod(string ns, string name, string script, int grace, string lifecycle = "") => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          nodeName: {{{Node}}}
          terminationGracePeriodSeconds: {{{grace}}}
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "{{{script}}}"]
        {{{lifecycle}}}
        """;

    [Fact]
    public async Task DeleteForce_PodIgnoringTerm_WarningForceDeletedAndNameReusableAtOnce()
    {
        var ns = await fixture.NewNamespaceAsync("force");
        var manifest = Pod(ns, "stubborn", "trap '' TERM; while true; do sleep 0.1; done", 30);
        await K.OkAsync("apply -f -", manifest);
        await K.OkAsync($"wait --for=condition=Ready pod/stubborn -n {ns} --timeout=60s");

        var deleted = await K.RunAsync($"delete pod stubborn -n {ns} --force --grace-period=0");

        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("Immediate deletion does not wait for confirmation that the running resource has been terminated", deleted.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("pod \"stubborn\" force deleted", deleted.Stdout, StringComparison.Ordinal);
        Assert.Contains("created", await K.OkAsync("apply -f -", manifest), StringComparison.Ordinal);
        await K.OkAsync($"wait --for=condition=Ready pod/stubborn -n {ns} --timeout=60s");
        await K.OkAsync($"delete pod stubborn -n {ns} --force --grace-period=0");
    }

    [Fact]
    public async Task Describe_DuringPreStop_TerminatingWithGraceAndKillingEvent()
    {
        var ns = await fixture.NewNamespaceAsync("describe");
        const string preStop = """
                lifecycle:
                  preStop: {sleep: {seconds: 2}}
            """;
        await K.OkAsync("apply -f -", Pod(ns, "slow", "trap 'exit 0' TERM; while true; do sleep 0.1; done", 30, preStop));
        await K.OkAsync($"wait --for=condition=Ready pod/slow -n {ns} --timeout=60s");

        await K.OkAsync($"delete pod slow -n {ns} --wait=false");
        string describe = "";
        await AsyncTestHelpers.WaitUntilAsync(async () => (describe = await K.OkAsync($"describe pod slow -n {ns}"))
            .Contains("Stopping container app", StringComparison.Ordinal), because: "the Killing event is described");

        Assert.Matches(new Regex(@"Status:\s+Terminating \(lasts "), describe);
        Assert.Matches(new Regex(@"Termination Grace Period:\s+30s"), describe);
        Assert.Matches(new Regex(@"Normal\s+Killing\s+.*kubelet\s+Stopping container app"), describe);
        await K.OkAsync($"wait --for=delete pod/slow -n {ns} --timeout=30s");
    }

    [Fact]
    public async Task GetWatch_PodIgnoringTerm_TerminatingThenErrorThenGone()
    {
        var ns = await fixture.NewNamespaceAsync("error");
        await using var watch = K.Start($"get pods -n {ns} -w");
        await K.OkAsync("apply -f -", Pod(ns, "killed", "trap '' TERM; while true; do sleep 0.1; done", 2));
        await K.OkAsync($"wait --for=condition=Ready pod/killed -n {ns} --timeout=60s");

        await K.OkAsync($"delete pod killed -n {ns}");

        await AsyncTestHelpers.WaitUntilAsync(() => watch.Lines.Any(l => l.Contains("Error", StringComparison.Ordinal)),
            because: "the terminal phase (exit 137) shows as Error before the row goes");
        var rows = watch.Lines.Where(l => l.StartsWith("killed", StringComparison.Ordinal)).ToList();
        var running = rows.FindIndex(l => l.Contains("Running", StringComparison.Ordinal));
        var terminating = rows.FindIndex(l => l.Contains("Terminating", StringComparison.Ordinal));
        var error = rows.FindIndex(l => l.Contains("Error", StringComparison.Ordinal));
        Assert.True(running >= 0 && running < terminating && terminating < error, string.Join('\n', rows));
        Assert.Contains(rows[terminating..error], l => l.Contains("1/1", StringComparison.Ordinal));
        Assert.Contains("0/1", rows[error], StringComparison.Ordinal);
    }
}

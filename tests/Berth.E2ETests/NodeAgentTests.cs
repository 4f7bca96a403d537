using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Issue 3 end to end: pods run as real processes under the in-process node agent and are driven with the real
/// kubectl. Pods name the server's node (the host name) directly, so these tests do not depend on the scheduler.
/// </summary>
[Trait("Category", "E2E")]
public sealed class NodeAgentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Node = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    private static string ShellPod(string ns, string name, string script, int grace, string extra = "") => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, namespace: {{{ns}}}, labels: {app: {{{name}}}}}
        spec:
          nodeName: {{{Node}}}
          terminationGracePeriodSeconds: {{{grace}}}
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "{{{script}}}"]
            env:
            - name: POD_IP
              valueFrom: {fieldRef: {fieldPath: status.podIP}}
        {{{extra}}}
        """;

    [Fact]
    public async Task ApplyThenDelete_WatchShowsRunningTerminatingCompletedThenGone()
    {
        var ns = await fixture.NewNamespaceAsync("life");
        await using var watch = K.Start($"get pods -n {ns} -w");
        await K.OkAsync("apply -f -", ShellPod(ns, "life", "trap 'exit 0' TERM; echo up on $POD_IP; while true; do sleep 0.1; done", 5));
        await K.OkAsync($"wait --for=condition=Ready pod/life -n {ns} --timeout=60s");

        var pod = JsonNode.Parse(await K.OkAsync($"get pod life -n {ns} -o json"))!;
        Assert.StartsWith("127.", (string?)pod["status"]!["podIP"], StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", (string?)pod["status"]!["hostIP"]);

        var logs = await K.OkAsync($"logs life -n {ns}");
        Assert.Contains("up on " + (string?)pod["status"]!["podIP"], logs, StringComparison.Ordinal);

        var sw = Stopwatch.StartNew();
        await K.OkAsync($"delete pod life -n {ns}");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"a pod that exits on SIGTERM is gone quickly, took {sw.Elapsed}");
        await AsyncTestHelpers.WaitUntilAsync(() => watch.Lines.Any(l => l.Contains("Completed", StringComparison.Ordinal)),
            because: "the terminal phase was shown before the object went");
        var statuses = watch.Lines.Where(l => l.StartsWith("life", StringComparison.Ordinal)).ToList();
        Assert.Contains(statuses, l => l.Contains("Running", StringComparison.Ordinal));
        Assert.Contains(statuses, l => l.Contains("Terminating", StringComparison.Ordinal));

        var describe = await K.RunAsync($"get events -n {ns} -o json");
        var reasons = JsonNode.Parse(describe.Stdout)!["items"]!.AsArray().Select(e => (string?)e!["reason"]).ToList();
        Assert.Contains("Started", reasons);
        Assert.Contains("Killing", reasons);
    }

    [Fact]
    public async Task DeleteGracePeriodOne_PodIgnoringSigterm_IsKilledAfterTheTwoSecondFloor()
    {
        var ns = await fixture.NewNamespaceAsync("ignore");
        await K.OkAsync("apply -f -", ShellPod(ns, "stubborn", "trap '' TERM; while true; do sleep 0.1; done", 30));
        await K.OkAsync($"wait --for=condition=Ready pod/stubborn -n {ns} --timeout=60s");
        var sw = Stopwatch.StartNew();
        await K.OkAsync($"delete pod stubborn -n {ns} --grace-period=1");
        sw.Stop();
        // Node grace max(1, 1) = 1 s, stop timeout floored to 2 s (kubernetes-termination.md §2.4, scenario 7).
        Assert.InRange(sw.Elapsed.TotalSeconds, 1.8, 8);
    }

    [Fact]
    public async Task Exec_RunsInTheContainerContextAndPropagatesExitCode()
    {
        var ns = await fixture.NewNamespaceAsync("exec");
        await K.OkAsync("apply -f -", ShellPod(ns, "ex", "trap 'exit 0' TERM; while true; do sleep 0.1; done", 2));
        await K.OkAsync($"wait --for=condition=Ready pod/ex -n {ns} --timeout=60s");
        var env = await K.OkAsync($"exec ex -n {ns} -- sh -c 'echo $POD_IP'");
        Assert.StartsWith("127.", env.Trim(), StringComparison.Ordinal);
        var failed = await K.RunAsync($"exec ex -n {ns} -- sh -c 'exit 3'");
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("command terminated with exit code 3", failed.Stderr, StringComparison.Ordinal);
        await K.OkAsync($"delete pod ex -n {ns} --grace-period=1");
    }

    [Fact]
    public async Task Delete_DoubleForkingPod_LeavesNoProcessBehind()
    {
        var ns = await fixture.NewNamespaceAsync("orphan");
        var marker = "berthorphan" + Guid.NewGuid().ToString("N")[..8];
        // The daemon detaches with setsid in a double fork and would survive a plain process-group kill.
        var script = $"(setsid sh -c ': {marker}; sleep 600' &) ; trap 'exit 0' TERM; while true; do sleep 0.1; done";
        await K.OkAsync("apply -f -", ShellPod(ns, "forker", script, 2));
        await K.OkAsync($"wait --for=condition=Ready pod/forker -n {ns} --timeout=60s");
        await AsyncTestHelpers.WaitUntilAsync(() => ProcessesWith(marker) >= 2, because: "the main process and the detached daemon run");
        await K.OkAsync($"delete pod forker -n {ns}");
        await AsyncTestHelpers.WaitUntilAsync(() => ProcessesWith(marker) == 0, because: "no process of a deleted pod survives");
    }

    /// <summary>Counts live processes whose command line contains <paramref name="marker"/>.</summary>
    internal static int ProcessesWith(string marker)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (cmdline.Contains(marker, StringComparison.Ordinal) && !stat.Contains(") Z ", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return count;
    }
}

using Berth.E2ETests.Workloads;
using Berth.Testing.Processes;

namespace Berth.E2ETests.Termination;

/// <summary>
/// Graceful node shutdown of <c>berth server</c> on SIGTERM leaves no process of its pods behind: not the pods that
/// end on TERM, not one that ignores TERM (killed at its grace, or at the node's budget), and not the replacements
/// a Deployment's controller creates for the killed pods while the node shuts down (rejected, never started). Also
/// with a second SIGTERM arriving during the shutdown. Processes are found as the fixtures' reaper finds them:
/// shims whose container directory is under the server's data dir and the processes carrying those containers' marker.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ServerShutdownTests
{
    private static readonly string Node = WorkloadManifests.Node;

    private static string Pod(string name, string script, int grace) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, namespace: default}
        spec:
          nodeName: {{Node}}
          terminationGracePeriodSeconds: {{grace}}
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "{{script}}"]
        """;

    [Fact]
    public Task Sigterm_PodsIgnoringTermAndDeployment_NoPodProcessSurvives() => ShutdownLeavesNothingAsync(signals: 1);

    [Fact]
    public Task TwoSigterms_InQuickSuccession_NoPodProcessSurvives() => ShutdownLeavesNothingAsync(signals: 2);

    /// <summary>
    /// The node posts Ready=False ("node is shutting down") before it kills its pods, so the node lifecycle controller
    /// taints it not-ready and the scheduler leaves the Deployment's replacements Pending, as on a cluster. Before, the
    /// node stayed Ready: every replacement was bound, rejected by the kubelet and replaced again, a hundred Failed
    /// NodeShutdown pods a second until the process exited. A replacement bound in the instant before the taint lands
    /// may still be rejected, hence the bound of one per replica.
    /// </summary>
    [Fact]
    public async Task Sigterm_ScheduledDeployment_ReplacementsNotBoundAndRejected()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory", "--shutdown-grace-period", "8s");
        var k = new Kubectl(server);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.RunAsync("get ns default")).ExitCode == 0, because: "bootstrap");
        var scheduled = string.Join('\n', WorkloadManifests.Deployment("default", "web", 2).Split('\n')
            .Where(line => !line.TrimStart().StartsWith("nodeName:", StringComparison.Ordinal)));
        await k.OkAsync("apply -f -", scheduled);
        await k.OkAsync("rollout status deploy/web --timeout=60s");

        server.Signal(15);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(0, server.ExitCode);
        var rejected = server.Output.Split('\n').Count(l => l.Contains("rejected, the node is shutting down", StringComparison.Ordinal));
        Assert.True(rejected <= 2, $"{rejected} pods bound to the stopping node and rejected:\n{server.Output}");
    }

    /// <summary>The fixtures' last resort: after kill -9 of the server its pods run on; releasing the data dir kills them all.</summary>
    [Fact]
    public async Task Sigkill_ReleaseOfTheDataDir_ReapsEveryPodProcess()
    {
        var server = await BerthProcess.StartAsync(null, 0, "--store", "memory");
        var k = new Kubectl(server);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.RunAsync("get ns default")).ExitCode == 0, because: "bootstrap");
        await k.OkAsync("apply -f -", Pod("stubborn", "trap '' TERM; sleep 300 & while true; do sleep 0.1; done", 30));
        await k.OkAsync("wait --for=condition=Ready pod/stubborn --timeout=60s");
        await server.KillAsync();
        await server.DisposeAsync();
        var orphaned = PodProcessReaper.Find(server.DataDir);
        Assert.Contains(orphaned, p => p.IsShim);
        Assert.Contains(orphaned, p => !p.IsShim);

        var reaped = await TestDataDirectories.ReleaseAsync(server.DataDir);

        Assert.Contains(reaped, p => p.IsShim);
        Assert.Contains(reaped, p => p.CommandLine == "sleep 300");
        Assert.Empty(PodProcessReaper.Find(server.DataDir));
        Assert.False(Directory.Exists(server.DataDir), "the fixture's data dir is deleted once its pods are gone");
    }

    private static async Task ShutdownLeavesNothingAsync(int signals)
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory", "--shutdown-grace-period", "8s");
        var k = new Kubectl(server);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.RunAsync("get ns default")).ExitCode == 0, because: "bootstrap");
        await k.OkAsync("apply -f -", Pod("polite", "trap 'exit 0' TERM; while true; do sleep 0.1; done", 30));
        await k.OkAsync("apply -f -", Pod("stubborn", "trap '' TERM; while true; do sleep 0.1; done", 2));
        await k.OkAsync("apply -f -", Pod("stubborn-long", "trap '' TERM; while true; do sleep 0.1; done", 120));
        await k.OkAsync("apply -f -", WorkloadManifests.Deployment("default", "web", 2));
        await k.OkAsync("wait --for=condition=Ready pod/polite pod/stubborn pod/stubborn-long --timeout=60s");
        await k.OkAsync("rollout status deploy/web --timeout=60s");
        Assert.True(PodProcessReaper.Find(server.DataDir).Count(p => p.IsShim) >= 5, "every pod's shim runs before the shutdown");

        for (var i = 0; i < signals; i++)
        {
            server.Signal(15);
            await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        }
        // The node budget is 8 s (4 s for regular pods), then a forced kill: well within 40 s.
        await server.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(0, server.ExitCode);
        IReadOnlyList<PodProcess> left = [];
        try
        {
            // The shims record the exits and end a moment after their containers.
            await AsyncTestHelpers.WaitUntilAsync(() => (left = PodProcessReaper.Find(server.DataDir)).Count == 0, TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"pod processes survived the server's graceful shutdown:\n{string.Join('\n', left)}\nserver:\n{server.Output}");
        }
    }
}

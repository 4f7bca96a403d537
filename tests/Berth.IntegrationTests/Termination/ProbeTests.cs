using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// Probes on real processes (kubernetes-termination.md §2.11, §4, §9 scenario 16): readiness keeps probing during
/// termination while liveness stops; a failing liveness probe kills with the probe-level grace and restarts.
/// </summary>
[Trait("Category", "Process")]
public sealed class ProbeTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Delete_ReadinessAndLiveness_ReadinessKeepsProbingLivenessStops()
    {
        var record = lab.NewRecordFile("probed");
        var port = NextPort();
        var app = Recorder("app", record, ("HTTP_PORT", $"{port}"), ("EXIT_AFTER_TERM_MS", "2500"), ("NOT_READY_AFTER_TERM", "1"));
        app.ReadinessProbe = HttpProbe(port, "/ready");
        app.LivenessProbe = HttpProbe(port, "/live", failureThreshold: 3);
        await using var history = new PodHistory(lab.Api, PodLab.Ns, "probed");
        await lab.CreateAsync(Pod("probed", 5, app));
        await lab.WaitAsync("probed", p => PodLab.Condition(p, "Ready")?.Status == "True", "ready");
        await AsyncTestHelpers.WaitUntilAsync(() => record.Events().Any(e => e.Detail == "/live"), because: "liveness probed");

        var start = await lab.DeleteAsync("probed");
        await record.WaitForAsync("EXIT", TimeSpan.FromSeconds(10));
        var term = record.First("SIGTERM")!.At;

        var http = record.Events().Where(e => e.Name == "HTTP").ToList();
        Assert.Contains(http, e => e.Detail == "/ready" && e.At > term.AddMilliseconds(500));
        Assert.DoesNotContain(http, e => e.Detail == "/live" && e.At > start.AddMilliseconds(300));
        var notReady = await history.WaitForAsync(o => o.Pod.Metadata.DeletionTimestamp is not null
            && PodLab.Condition(o.Pod, "Ready")?.Status == "False" && o.Pod.Status?.Phase == "Running", "readiness failure while terminating");
        Assert.Equal("ContainersNotReady", PodLab.Condition(notReady.Pod, "Ready")!.Reason);
        await lab.WaitEventAsync("probed", "Unhealthy", e => e.Message == "Readiness probe failed: HTTP probe failed with statuscode: 503");
        await lab.WaitGoneAsync("probed");
    }

    [Fact]
    public async Task Liveness_FailsWithProbeGraceOne_KilledAfterTwoSecondFloorAndRestarted()
    {
        var record = lab.NewRecordFile("unwell");
        var port = NextPort();
        var app = Recorder("app", record, ("HTTP_PORT", $"{port}"), ("IGNORE_TERM", "1"));
        app.LivenessProbe = HttpProbe(port, "/fail", failureThreshold: 1, probeGrace: 1);
        app.LivenessProbe.InitialDelaySeconds = 1; // the recorder listens (and handles SIGTERM) ~0.5 s after it starts
        var pod = await lab.CreateAsync(Pod("unwell", 30, app));

        var killed = await lab.ExitedAsync(pod.Metadata.Uid, attempt: 0, timeout: TimeSpan.FromSeconds(15));
        var term = record.First("SIGTERM")!.At;
        var restarted = await lab.WaitAsync("unwell", p => PodLab.Status(p)?.RestartCount >= 1, "restarted");

        Tolerances.At(2.0, term, killed.FinishedAt!.Value, "SIGKILL after the probe grace (1 s, floored to 2)");
        Assert.Equal(137, killed.ExitCode);
        Assert.Equal("Running", restarted.Status.Phase);
        await lab.WaitEventAsync("unwell", "Unhealthy", e => e.Message == "Liveness probe failed: HTTP probe failed with statuscode: 500");
        await lab.WaitEventAsync("unwell", "Killing", e => e.Message == "Container app failed liveness probe, will be restarted");
        await lab.DeleteAsync("unwell", grace: 0);
    }
}

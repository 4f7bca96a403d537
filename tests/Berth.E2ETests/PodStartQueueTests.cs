using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.E2ETests;

/// <summary>
/// Pod-start flow control (<c>--max-pod-starts-inflight</c>) on a real server: a Deployment whose ReplicaSet creates
/// more pods at once than there are seats still starts every pod; some creates waited for a seat, and once the pods
/// run every seat is free again, (nearly) all through the pods' status writes. The series are on <c>/metrics</c>.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PodStartQueueTests
{
    [Fact]
    public async Task BurstBeyondTheSeats_SomeCreatesWait_EveryPodRuns_AndTheSeatsAreFreeAgain()
    {
        var server = await BerthProcess.StartAsync(null, 0, "--max-pod-starts-inflight", "2");
        try
        {
            var kubectl = new Kubectl(server);
            await AsyncTestHelpers.WaitUntilAsync(async () => (await kubectl.RunAsync("get ns default")).ExitCode == 0, because: "namespace default exists");

            await kubectl.OkAsync("create deployment burst --image=busybox:1.36 --replicas=16 -- sleep 3600");
            await kubectl.OkAsync("rollout status deployment/burst --timeout=120s");

            var running = await kubectl.OkAsync("get pods -l app=burst --field-selector=status.phase=Running -o name");
            Assert.Equal(16, running.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            string metrics = "";
            await AsyncTestHelpers.WaitUntilAsync(async () =>
            {
                metrics = await kubectl.OkAsync("get --raw /metrics");
                return Value(metrics, "berth_pod_start_queue_seats_in_use") == 0;
            }, TimeSpan.FromSeconds(10), "every seat is free once the pods have their status");
            Assert.Equal(2, Value(metrics, "berth_pod_start_queue_seats"));
            Assert.True(Value(metrics, "berth_pod_start_queue_wait_duration_seconds_count") >= 1, "a ReplicaSet batch of 4 or 8 creates found both seats taken");
            // Seats go back through the pods' status writes; the 1 s hold timeout may free one or two on a saturated
            // machine (a pod of the first burst after start-up, compiling as it goes), never most of them.
            Assert.InRange(Value(metrics, "berth_pod_start_queue_seats_expired_total"), 0, 2);
            Assert.Equal(0, Value(metrics, "berth_pod_start_queue_inqueue_requests"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static double Value(string metrics, string series) =>
        SeriesLine(series).Match(metrics) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new Xunit.Sdk.XunitException($"no series {series} in /metrics");

    private static Regex SeriesLine(string series) => new("^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
}

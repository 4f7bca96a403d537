using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Xunit.Abstractions;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// Measures how late the SIGKILL at the end of the grace period goes out (sent-at minus deadline, as the runtime
/// records it) and how late the container is reported Exited (finishedAt minus deadline: kill, exit detection through
/// the pidfd, log drain). Target p99 ≤ 50 ms for the kill; the assertions only
/// catch a broken timer, the numbers go to the test output.
/// </summary>
[Trait("Category", "Process")]
public sealed class KillPrecisionTests(ITestOutputHelper output)
{
    private const int Containers = 10;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task StopContainer_ConcurrentIgnoringContainers_KilledShortlyAfterDeadline()
    {
        using var h = new RuntimeHarness();
        var started = new List<(ContainerId Id, string Ready)>();
        for (var i = 0; i < Containers; i++)
        {
            var ready = h.Scratch($"ready-{i}.txt");
            var config = RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("ignore-term.sh"), ready) with { ContainerName = $"c{i}" };
            started.Add((await h.RunAsync(config), ready));
        }
        await AsyncTestHelpers.WaitUntilAsync(() => started.All(c => File.Exists(c.Ready)), because: "all trap SIGTERM");

        var lateness = await Task.WhenAll(started.Select(c => StopAndMeasureAsync(h, c.Id)));

        var kill = lateness.Select(l => l.Kill.TotalMilliseconds).Order().ToList();
        var exited = lateness.Select(l => l.Exited.TotalMilliseconds).Order().ToList();
        output.WriteLine($"containers={Containers} grace={Grace.TotalSeconds}s using {h.Runtime.Containment}; " +
            $"kill lateness ms min={kill[0]:F1} p50={kill[kill.Count / 2]:F1} max={kill[^1]:F1}; " +
            $"exited lateness ms min={exited[0]:F1} p50={exited[exited.Count / 2]:F1} max={exited[^1]:F1}");
        // Never early. The upper bounds only catch a broken timer: on the shared 2-core CI machine (load average 30-45
        // while eight builds run) the process is at times descheduled for half a second.
        Assert.All(kill, ms => Assert.InRange(ms, 0, 1500));
        Assert.All(exited, ms => Assert.InRange(ms, 0, 3000));
    }

    private static async Task<(TimeSpan Kill, TimeSpan Exited)> StopAndMeasureAsync(RuntimeHarness h, ContainerId id)
    {
        await h.Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();
        var status = await h.Runtime.GetContainerStatusAsync(id);
        var (deadline, sentAt) = h.Runtime.GetDeadlineKill(id)!.Value;
        Assert.Equal(137, status.ExitCode);
        Assert.True(deadline > status.StartedAt, "the deadline lies after the start");
        return (sentAt - deadline, status.FinishedAt!.Value - deadline);
    }
}

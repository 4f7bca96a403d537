using Berth.Kubelet;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.KubeRuntime;

/// <summary>§9 scenario 15: sidecars get the stop signal after the main containers, last-defined first.</summary>
public sealed class SidecarOrderingTests : IDisposable
{
    private const double Tolerance = 0.11;
    private readonly KillHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task KillPod_SidecarsWithQuickPreStop_StoppedInReverseOrderAfterMain()
    {
        var pod = PodWithSidecars();
        var ids = await StartAllAsync(pod, new Dictionary<string, FakeContainerBehavior>
        {
            ["app"] = new() { OnStopSignal = (TimeSpan.FromSeconds(3), 0) },
            ["s1"] = new() { OnStopSignal = (TimeSpan.FromSeconds(1), 0) },
            ["s2"] = new() { OnStopSignal = (TimeSpan.FromSeconds(1), 0) },
        });

        var kill = KillAll(pod, ids, new GracePeriodOverride(30));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(40));

        Assert.All(_h.Events.WithReason("Killing"), e => Assert.Equal(0, e.Time.SecondsSince(KillHarness.T0), Tolerance));
        Assert.Equal(3, _h.Events.WithReason("Killing").Count);
        Assert.All(_h.Runtime.Records("ExecStarted"), r => Assert.Equal(0, r.Time.SecondsSince(KillHarness.T0), Tolerance));
        Assert.Equal(0, _h.At("StopSignal", "app"), Tolerance);
        Assert.Equal(3, _h.At("Exited", "app"), Tolerance);
        Assert.Equal(3, _h.At("StopSignal", "s2"), Tolerance);
        Assert.Equal(4, _h.At("Exited", "s2"), Tolerance);
        Assert.Equal(4, _h.At("StopSignal", "s1"), Tolerance);
        Assert.Equal(5, _h.At("Exited", "s1"), Tolerance);
    }

    [Fact]
    public async Task KillPod_MainIgnoresTerm_SidecarsSignalledAtGraceAndKilledTwoLater()
    {
        var pod = PodWithSidecars();
        var ignore = new FakeContainerBehavior { OnStopSignal = null };
        var ids = await StartAllAsync(pod, new Dictionary<string, FakeContainerBehavior> { ["app"] = ignore, ["s1"] = ignore, ["s2"] = ignore });

        var kill = KillAll(pod, ids, new GracePeriodOverride(10));
        await _h.Time.AdvanceUntilAsync(() => kill.IsCompleted, TimeSpan.FromSeconds(40));

        Assert.Equal(10, _h.At("Killed", "app"), Tolerance);
        Assert.Equal(10, _h.At("StopSignal", "s2"), Tolerance);
        Assert.Equal(10, _h.At("StopSignal", "s1"), Tolerance);
        Assert.Equal(12, _h.At("Killed", "s2"), Tolerance);
        Assert.Equal(12, _h.At("Killed", "s1"), Tolerance);
    }

    [Fact]
    public void TerminationOrdering_PodWithoutSidecars_IsNull()
    {
        Assert.Null(TerminationOrdering.For(TestPods.Pod(), ["app"]));
    }

    private static V1Pod PodWithSidecars()
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers = [TestPods.Sidecar("s1"), TestPods.Sidecar("s2")];
        foreach (var c in pod.Spec.Containers.Concat(pod.Spec.InitContainers))
        {
            c.Lifecycle = new V1Lifecycle { PreStop = TestPods.ExecHook("/bin/quick") };
        }

        return pod;
    }

    private async Task<Dictionary<string, ContainerId>> StartAllAsync(V1Pod pod, Dictionary<string, FakeContainerBehavior> behaviors)
    {
        var ids = new Dictionary<string, ContainerId>();
        foreach (var (name, behavior) in behaviors)
        {
            ids[name] = await _h.RunAsync(pod, name, behavior);
        }

        return ids;
    }

    private Task KillAll(V1Pod pod, Dictionary<string, ContainerId> ids, GracePeriodOverride grace)
    {
        var ordering = TerminationOrdering.For(pod, ids.Keys);
        Assert.NotNull(ordering);
        var specs = pod.Spec.Containers.Concat(pod.Spec.InitContainers).ToDictionary(c => c.Name);
        return Task.WhenAll(ids.Select(p => _h.Killer.KillContainerAsync(
            new KillContainerRequest(pod, specs[p.Key], p.Value, "", KillReason.Unknown, grace, ordering, null, 15), CancellationToken.None)));
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>
/// Status-only pod updates: the kubelet's own status coming back does not resync the pod, but a condition another
/// writer sets (a readiness gate) still does.
/// </summary>
public sealed class KubeletStatusEchoTests : IAsyncDisposable
{
    private const string Gate = "example.com/gate";
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReadinessGateSetByAnotherWriter_StatusOnlyUpdate_PodBecomesReady()
    {
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = Gate }];
        _h.Create(pod);
        await _h.Time.AdvanceUntilAsync(() => ReadyReason() == "ReadinessGatesNotReady", TimeSpan.FromSeconds(30),
            because: "Ready=False while the gate's condition is missing");

        var current = await _h.Api.GetAsync(KindRegistry.Pods, pod.Metadata.NamespaceProperty, "web");
        current.GetArray("status", "conditions")!.Add(new JsonObject { ["type"] = Gate, ["status"] = "True" });
        await _h.Api.UpdateAsync(KindRegistry.Pods, pod.Metadata.NamespaceProperty, current, "status");

        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            TimeSpan.FromSeconds(30), because: "the gate's condition makes the pod Ready");
        Assert.Contains(_h.Get()!.Status.Conditions, c => c.Type == Gate && c.Status == "True");
    }

    private string? ReadyReason() => _h.Get()?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Reason;
}

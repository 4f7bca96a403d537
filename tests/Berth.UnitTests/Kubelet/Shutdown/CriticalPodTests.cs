using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Shutdown;

/// <summary>Which pods a graceful node shutdown stops last (upstream IsCriticalPod: priority at least 2000000000).</summary>
public sealed class CriticalPodTests
{
    [Theory]
    [InlineData(2_000_001_000, null, true)]
    [InlineData(2_000_000_000, "custom", true)]
    [InlineData(1_999_999_999, null, false)]
    [InlineData(0, "system-node-critical", false)]
    [InlineData(null, "system-node-critical", true)]
    [InlineData(null, "system-cluster-critical", true)]
    [InlineData(null, "high", false)]
    [InlineData(null, null, false)]
    public void IsCriticalPod_ByPriority_ElseByClassName(int? priority, string? className, bool critical)
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Priority = priority, PriorityClassName = className, Containers = [] } };

        Assert.Equal(critical, PodSpecs.IsCriticalPod(pod));
    }
}

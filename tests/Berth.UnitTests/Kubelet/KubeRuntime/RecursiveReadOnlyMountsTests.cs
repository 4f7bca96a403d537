using Berth.Kubelet.KubeRuntime;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.KubeRuntime;

/// <summary>recursiveReadOnly on a runtime without recursive read-only mounts (upstream's node e2e "Mount recursive read-only").</summary>
public sealed class RecursiveReadOnlyMountsTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData(null, true, null)]
    [InlineData("Disabled", true, null)]
    [InlineData("IfPossible", true, null)]
    [InlineData("Enabled", true, "failed to resolve recursive read-only mode: volume \"mnt\" requested recursive read-only mode, but it is not supported by the runtime")]
    [InlineData("Enabled", false, "failed to resolve recursive read-only mode: volume \"mnt\" requested recursive read-only mode, but it is not read-only")]
    [InlineData("Sometimes", true, "failed to resolve recursive read-only mode: unknown recursive read-only mode \"Sometimes\"")]
    public void Refusal_PerMode(string? mode, bool readOnly, string? expected)
    {
        var container = new V1Container
        {
            Name = "app",
            VolumeMounts = [new V1VolumeMount { Name = "mnt", MountPath = "/mnt", ReadOnlyProperty = readOnly, RecursiveReadOnly = mode }],
        };

        Assert.Equal(expected, RecursiveReadOnlyMounts.Refusal(container));
    }

    [Fact]
    public void Refusal_PropagationOtherThanNone_Refused()
    {
        var container = new V1Container
        {
            Name = "app",
            VolumeMounts = [new V1VolumeMount { Name = "mnt", MountPath = "/mnt", ReadOnlyProperty = true, RecursiveReadOnly = "IfPossible", MountPropagation = "HostToContainer" }],
        };

        Assert.Equal("failed to resolve recursive read-only mode: volume \"mnt\" requested recursive read-only mode, but it is not compatible with propagation \"HostToContainer\"",
            RecursiveReadOnlyMounts.Refusal(container));
    }

    [Fact]
    public async Task SyncPod_RecursiveReadOnlyEnabled_CreateContainerConfigErrorAndFailedEvent()
    {
        await _h.StartAsync();
        var pod = TestPods.Pod();
        pod.Spec.Volumes = [new V1Volume { Name = "mnt", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "mnt", MountPath = "/mnt", ReadOnlyProperty = true, RecursiveReadOnly = "Enabled" }];
        _h.Create(pod);

        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.State?.Waiting?.Reason == "CreateContainerConfigError",
            TimeSpan.FromSeconds(15), because: "waiting reason");

        var status = _h.ContainerStatus("app")!;
        Assert.Contains("failed to resolve recursive read-only mode: volume \"mnt\" requested recursive read-only mode, but it is not supported by the runtime",
            status.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal("Disabled", Assert.Single(status.VolumeMounts).RecursiveReadOnly);
        Assert.StartsWith("Error: failed to resolve recursive read-only mode", _h.Events.WithReason("Failed").First().Message, StringComparison.Ordinal);
        Assert.Empty(_h.Runtime.Created);
    }
}

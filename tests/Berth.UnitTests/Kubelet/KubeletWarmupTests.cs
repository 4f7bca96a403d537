using Berth.Kubelet;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>The kubelet's part of the pod-path warm-up: pure steps over a pod that exists nowhere.</summary>
public sealed class KubeletWarmupTests
{
    [Fact]
    public void Run_RunningPod_ReturnsTheStatusPatchAtTheGivenVersionAndLeavesThePodAlone()
    {
        var pod = Pod();
        var before = k8s.KubernetesJson.Serialize(pod);

        var patch = KubeletWarmup.Run(pod);

        Assert.Equal("Running", (string?)patch["status"]?["phase"]);
        Assert.Equal("app", (string?)patch["status"]?["containerStatuses"]?[0]?["name"]);
        Assert.Equal("1", (string?)patch["metadata"]?["resourceVersion"]);
        Assert.Equal(before, k8s.KubernetesJson.Serialize(pod));
    }

    [Fact]
    public void Run_PodWithoutContainers_Throws()
    {
        var pod = Pod();
        pod.Spec.Containers = [];

        Assert.ThrowsAny<Exception>(() => KubeletWarmup.Run(pod));
    }

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "default", Uid = "00000000-0000-0000-0000-000000000001" },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app", Image = "busybox", Command = ["/bin/sleep", "3600"],
                    VolumeMounts = [new V1VolumeMount { Name = "kube-api-access-x", MountPath = "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnlyProperty = true }],
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "app", Image = "busybox", ImageID = "", Ready = true, RestartCount = 0,
                    State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UnixEpoch } },
                },
            ],
        },
    };
}

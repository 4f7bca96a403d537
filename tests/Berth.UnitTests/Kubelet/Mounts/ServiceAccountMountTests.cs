using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>How the ServiceAccount token mount degrades on a runtime without mount namespaces.</summary>
public sealed class ServiceAccountMountTests
{
    private const string TokenPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static EnvironmentResolver Resolver() =>
        new(new FakeApiClient(), new RecordingEventRecorder(TimeProvider.System), new NodeAllocatable(4, 1L << 33, 1L << 36));

    [Fact]
    public async Task Generate_NoNamespacesAndOnlyTokenMount_StartsWithoutIt()
    {
        var generator = new ContainerConfigGenerator(Resolver(), mountsUnavailable: "the agent lacks CAP_SYS_ADMIN");
        var pod = TestPods.Pod("web", TestPods.Container("app", "/bin/app"));

        var config = await generator.GenerateAsync(pod, pod.Spec.Containers[0], 0, [], "127.0.0.1",
            [new VolumeMount("app", "/pods/u/volumes/kubernetes.io~projected/kube-api-access-x", TokenPath, true, null)], 15,
            CancellationToken.None).DefaultTimeout();

        Assert.Empty(config.Mounts);
    }

    [Fact]
    public async Task Generate_WithNamespaces_MountsTokenReadOnly()
    {
        var generator = new ContainerConfigGenerator(Resolver());
        var pod = TestPods.Pod("web", TestPods.Container("app", "/bin/app"));

        var config = await generator.GenerateAsync(pod, pod.Spec.Containers[0], 0, [], "127.0.0.1",
            [new VolumeMount("app", "/pods/u/volumes/kubernetes.io~projected/kube-api-access-x", TokenPath, true, null)], 15,
            CancellationToken.None).DefaultTimeout();

        Assert.Equal([new ContainerMount(TokenPath, "/pods/u/volumes/kubernetes.io~projected/kube-api-access-x", true)], config.Mounts);
    }
}

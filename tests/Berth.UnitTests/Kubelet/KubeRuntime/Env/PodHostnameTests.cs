using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.KubeRuntime.Env;

/// <summary>
/// Every container on a cluster has <c>HOSTNAME</c> set by its runtime (the pod's host name); Berth's containers
/// had none, so <c>echo $HOSTNAME</c> printed an empty line and <c>${HOSTNAME##*-}</c> gave no StatefulSet ordinal.
/// </summary>
public sealed class PodHostnameTests
{
    private static ContainerConfigGenerator Generator() => new(new EnvironmentResolver(new FakeApiClient(),
        new RecordingEventRecorder(TimeProvider.System), new NodeAllocatable(4, 1L << 33, 1L << 36)));

    private static Task<Berth.Kubelet.Runtime.ContainerConfig> GenerateAsync(V1Pod pod) =>
        Generator().GenerateAsync(pod, pod.Spec.Containers[0], 0, [], "127.0.0.1", [], 15, CancellationToken.None);

    [Fact]
    public async Task Generate_SetsHostnameToThePodName()
    {
        var pod = TestPods.Pod("db-2", TestPods.Container("app", "/bin/sh", "-c", "echo $(HOSTNAME)"));

        var config = await GenerateAsync(pod).DefaultTimeout();

        Assert.Equal("db-2", config.Environment["HOSTNAME"]);
        // The runtime adds the variable: the kubelet's $(VAR) expansion of the command does not see it.
        Assert.Equal(["/bin/sh", "-c", "echo $(HOSTNAME)"], config.Argv);
    }

    [Fact]
    public async Task Generate_ContainerEnvOverridesHostname()
    {
        var pod = TestPods.Pod("web", TestPods.Container("app", "/bin/app"));
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "HOSTNAME", Value = "mine" }];

        var config = await GenerateAsync(pod).DefaultTimeout();

        Assert.Equal("mine", config.Environment["HOSTNAME"]);
    }

    [Fact]
    public void Of_SpecHostnameWins_LongNamesAreCutWithoutTrailingDashOrDot()
    {
        var named = TestPods.Pod("web");
        named.Spec.Hostname = "front";
        var longName = TestPods.Pod(new string('a', 61) + "-.b");
        var hostNetwork = TestPods.Pod("web");
        hostNetwork.Spec.HostNetwork = true;

        Assert.Equal("front", PodHostname.Of(named, () => "machine"));
        Assert.Equal(new string('a', 61), PodHostname.Of(longName, () => "machine"));
        Assert.Equal("machine", PodHostname.Of(hostNetwork, () => "machine"));
    }
}

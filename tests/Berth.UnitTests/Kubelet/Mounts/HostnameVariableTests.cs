using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>The runtime's HOSTNAME variable: the pod's host name unless the container sets its own.</summary>
public sealed class HostnameVariableTests
{
    private static EnvironmentResolver Resolver() =>
        new(new FakeApiClient(), new RecordingEventRecorder(TimeProvider.System), new NodeAllocatable(4, 1L << 33, 1L << 36));

    private static Task<Berth.Kubelet.Runtime.ContainerConfig> GenerateAsync(V1Pod pod) =>
        new ContainerConfigGenerator(Resolver()).GenerateAsync(pod, pod.Spec.Containers[0], 0, [], "127.0.0.1", [], 15, CancellationToken.None).DefaultTimeout();

    [Fact]
    public async Task Generate_StatefulSetPod_HostnameIsPodNameAndNotExpandedInArgs()
    {
        var pod = TestPods.Pod("db-0", TestPods.Container("app", "/bin/echo", "$(HOSTNAME)"));

        var config = await GenerateAsync(pod);

        Assert.Equal("db-0", config.Environment["HOSTNAME"]);
        Assert.Equal("$(HOSTNAME)", config.Argv[^1]);
    }

    [Fact]
    public async Task Generate_ContainerSetsHostname_ItsValueWins()
    {
        var container = TestPods.Container("app", "/bin/app");
        container.Env = [new V1EnvVar { Name = "HOSTNAME", Value = "mine" }];

        var config = await GenerateAsync(TestPods.Pod("web", container));

        Assert.Equal("mine", config.Environment["HOSTNAME"]);
    }

    [Theory]
    [InlineData("web", null, "web")]
    [InlineData("web-7d4-x", "db-1", "db-1")]
    [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789gh-xyz", null, "a123456789b123456789c123456789d123456789e123456789f123456789gh")]
    public void Of_NameOrSpecHostname_TruncatedToALabel(string name, string? hostname, string expected)
    {
        var pod = TestPods.Pod(name, TestPods.Container("app", "/bin/app"));
        pod.Spec.Hostname = hostname;

        Assert.Equal(expected, PodHostname.Of(pod, () => "machine"));
    }
}

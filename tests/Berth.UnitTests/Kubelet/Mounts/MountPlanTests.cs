using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>Pure parts of the mount support: the plan (order, root need, path mapping), when a namespace is needed, the config generator, log tails.</summary>
public sealed class MountPlanTests
{
    private static ContainerConfig Config(params ContainerMount[] mounts) =>
        new() { PodUid = "u", PodNamespace = "default", PodName = "web", ContainerName = "app", Argv = ["/bin/true"], Mounts = mounts };

    [Fact]
    public void For_NestedMounts_ParentsFirstThenTerminationLog()
    {
        var plan = MountPlan.For(Config(new ContainerMount("/data/cache/", "/h/cache", false), new("/data", "/h/data", true))
            with { TerminationMessagePath = "/dev/termination-log" }, "/state/termination-log");

        Assert.Equal(["/data", "/data/cache", "/dev/termination-log"], plan.Mounts.Select(m => m.ContainerPath));
        Assert.Equal("ro\t/h/data\t/data\nrw\t/h/cache\t/data/cache\nrw\t/state/termination-log\t/dev/termination-log\n", plan.Render());
    }

    [Fact]
    public void For_MissingTopLevelPath_NeedsRootExistingParentDoesNot()
    {
        Assert.True(MountPlan.For(Config(new ContainerMount("/berth-test-" + Guid.NewGuid().ToString("N"), "/h", false)), null).NeedsRoot);
        Assert.False(MountPlan.For(Config(new ContainerMount("/etc/berth-" + Guid.NewGuid().ToString("N"), "/h", false)), null).NeedsRoot);
    }

    [Fact]
    public void ToHostPath_DeepestMountWins_UnmappedUnchanged()
    {
        var plan = MountPlan.For(Config(new ContainerMount("/data", "/h/data", false), new("/data/cache", "/h/cache", false)), null);

        Assert.Equal("/h/cache/x/y", plan.ToHostPath("/data/cache/x/y"));
        Assert.Equal("/h/data/other", plan.ToHostPath("/data/other"));
        Assert.Equal("/h/data", plan.ToHostPath("/data/"));
        Assert.Equal("/usr/bin", plan.ToHostPath("/usr/bin"));
        Assert.Null(plan.TryMapToHost("/database"));
        Assert.Equal("/h/data/bin:/usr/bin:relative", plan.ToHostSearchPath("/data/bin:/usr/bin:relative"));
    }

    [Fact]
    public void NeedsMountNamespace_OnlyForMovedOrReadOnlyMounts()
    {
        Assert.False(MountRequirements.NeedsMountNamespace(Config()));
        Assert.False(MountRequirements.NeedsMountNamespace(Config(new ContainerMount("/srv/x/", "/srv/x", false))));
        Assert.True(MountRequirements.NeedsMountNamespace(Config(new ContainerMount("/srv/x", "/srv/x", true))));
        Assert.True(MountRequirements.NeedsMountNamespace(Config(new ContainerMount("/etc/config", "/pods/u/volumes/cfg", false))));
        Assert.True(MountRequirements.CanMount(new FakeContainerRuntime(TimeProvider.System)));
    }

    [Fact]
    public async Task Generate_MountsTerminationPathAndPodMounts_PassedToRuntime()
    {
        var generator = new ContainerConfigGenerator(Resolver(), podMounts: _ => [new ContainerMount("/etc/resolv.conf", "/pods/u/resolv.conf", false)]);

        var config = await generator.GenerateAsync(Pod(), Pod().Spec.Containers[0], 0, ["127.1.0.2"], "127.0.0.1",
            [new VolumeMount("app", "/pods/u/volumes/cfg", "/etc/config", true, null), new VolumeMount("other", "/x", "/y", false, null)],
            15, CancellationToken.None);

        Assert.Equal([new ContainerMount("/etc/config", "/pods/u/volumes/cfg", true), new ContainerMount("/etc/resolv.conf", "/pods/u/resolv.conf", false)], config.Mounts);
        Assert.Equal(("/dev/termination-log", true), (config.TerminationMessagePath, config.TerminationMessageFallbackToLogs));
    }

    [Fact]
    public async Task Generate_RuntimeWithoutNamespaces_CreateContainerConfigError()
    {
        var generator = new ContainerConfigGenerator(Resolver(), mountsUnavailable: "the agent lacks CAP_SYS_ADMIN");

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => generator.GenerateAsync(Pod(), Pod().Spec.Containers[0], 0, [], "127.0.0.1",
            [new VolumeMount("app", "/pods/u/volumes/cfg", "/etc/config", false, null)], 15, CancellationToken.None));

        Assert.Equal("container \"app\" has volumeMounts at /etc/config but this node agent cannot mount them (the agent lacks CAP_SYS_ADMIN); the pod's volumes stay under its pod directory", error.Message);
    }

    [Fact]
    public void ReadLogTail_PartialAndFullEntries_ContentOnlyCappedAt2048Bytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "2026-01-01T00:00:00.000000000Z stdout P hel\n2026-01-01T00:00:00.000000000Z stdout F lo\n" +
                "2026-01-01T00:00:01.000000000Z stderr F oops\n");
            Assert.Equal("hello\noops\n", TerminationMessage.ReadLogTail(path));

            File.WriteAllText(path, string.Concat(Enumerable.Range(0, 50).Select(i => $"2026-01-01T00:00:00.000000000Z stdout F {new string('x', 99)}\n")));
            Assert.Equal(2048, TerminationMessage.ReadLogTail(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static EnvironmentResolver Resolver() =>
        new(new FakeApiClient(), new RecordingEventRecorder(TimeProvider.System), new NodeAllocatable(4, 1L << 33, 1L << 36));

    private static V1Pod Pod()
    {
        var pod = TestPods.Pod("web", TestPods.Container("app", "/bin/app"));
        pod.Spec.Containers[0].TerminationMessagePath = "/dev/termination-log";
        pod.Spec.Containers[0].TerminationMessagePolicy = "FallbackToLogsOnError";
        return pod;
    }
}

using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Berth.Kubelet.Volumes;
using Berth.UnitTests.Kubelet.Runtime;
using Berth.UnitTests.Kubelet.TestSupport;
using Berth.UnitTests.Server;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.Kubelet.Volumes.VolumeTestPods;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>
/// A whole pod on the node agent with the real process runtime and volume manager: a configMap volume (whole and as a
/// subPath file), an emptyDir, read-only mounts, the pod's resolv.conf, the termination message in the API status,
/// stopSignal in the status; and the CreateContainerConfigError when the agent cannot create mount namespaces.
/// </summary>
[Trait("Category", "Process")]
public sealed class KubeletMountTests : IAsyncDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _top = "/berth-test-" + Guid.NewGuid().ToString("N")[..12];
    private RuntimeHarness? _runtime;
    private KubeletHarness? _h;

    public async ValueTask DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
        _runtime?.Dispose();
        _root.Dispose();
    }

    private async Task<KubeletHarness> StartAsync(MountNamespaceMode mode = MountNamespaceMode.Auto)
    {
        _runtime = new RuntimeHarness(time: TimeProvider.System, mountNamespaces: mode);
        var api = new Berth.Testing.Fakes.FakeApiClient(TimeProvider.System);
        var pods = Path.Combine(_root.Path, "pods");
        var volumes = new VolumeManager(api, new VolumeManagerOptions { PodsDirectory = pods }, TimeProvider.System, NullLogger<VolumeManager>.Instance);
        SeedConfigMap(api, "cfg", new Dictionary<string, string> { ["app.conf"] = "port=80\n" });
        _h = new KubeletHarness(TimeProvider.System, _runtime.Runtime, volumes, _root.Path);
        await _h.StartAsync();
        return _h;
    }

    private V1Pod Pod(string script) => WithVolumes(TestPods.Pod("web", new V1Container
    {
        Name = "app",
        Image = "busybox",
        Command = ["/bin/sh", "-c", script],
        TerminationMessagePath = "/dev/termination-log",
        TerminationMessagePolicy = "File",
        Lifecycle = new V1Lifecycle { StopSignal = "SIGTERM" },
        VolumeMounts =
        [
            new V1VolumeMount { Name = "config", MountPath = $"{_top}/config" },
            new V1VolumeMount { Name = "config", MountPath = $"{_top}/app.conf", SubPath = "app.conf" },
            new V1VolumeMount { Name = "data", MountPath = $"{_top}/data" },
            new V1VolumeMount { Name = "data", MountPath = $"{_top}/ro", ReadOnlyProperty = true },
        ],
    }));

    private static V1Pod WithVolumes(V1Pod pod)
    {
        pod.Spec.RestartPolicy = "Never";
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "cfg" } },
            new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        return pod;
    }

    [MountNamespaceFact]
    public async Task Pod_ConfigMapEmptyDirSubPathReadOnly_MountedInItsOwnView()
    {
        var h = await StartAsync();
        var script = $"cat {_top}/config/app.conf {_top}/app.conf > {_top}/data/out; " +
            $"if touch {_top}/ro/x 2>/dev/null; then echo rw; else echo ro; fi >> {_top}/data/out; " +
            $"grep -E 'search|nameserver' /etc/resolv.conf >> {_top}/data/out; cp {_top}/data/out /dev/termination-log";
        h.Create(Pod(script));

        await AsyncTestHelpers.WaitUntilAsync(() => h.ContainerStatus("app")?.State?.Terminated is not null, because: "the container ran");

        var status = h.ContainerStatus("app")!;
        Assert.Equal(0, status.State.Terminated.ExitCode);
        var message = status.State.Terminated.Message;
        Assert.StartsWith("port=80\nport=80\nro\nsearch default.svc.cluster.local svc.cluster.local cluster.local", message, StringComparison.Ordinal);
        Assert.EndsWith("\nnameserver 127.96.0.10\n", message, StringComparison.Ordinal);
        Assert.Equal("SIGTERM", status.StopSignal);
        Assert.False(Path.Exists(_top));
    }

    [Fact]
    public async Task Pod_NoMountNamespaces_CreateContainerConfigErrorWithEvent()
    {
        var h = await StartAsync(MountNamespaceMode.Disabled);
        h.Create(Pod("true"));

        await AsyncTestHelpers.WaitUntilAsync(() => h.ContainerStatus("app")?.State?.Waiting?.Reason == "CreateContainerConfigError",
            because: "the mounts cannot be made");

        var message = h.ContainerStatus("app")!.State.Waiting.Message;
        Assert.Contains("cannot mount them", message, StringComparison.Ordinal);
        Assert.Contains(h.Events.Events, e => e.Reason == "Failed" && e.Type == "Warning" && e.Message.Contains("cannot mount them", StringComparison.Ordinal));
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Kubelet.Volumes;
using Berth.Testing.Fakes;
using Berth.UnitTests.Server;
using k8s.Models;
using static Berth.UnitTests.Kubelet.Volumes.VolumeTestPods;

namespace Berth.UnitTests.Kubelet.Volumes;

public sealed class VolumeManagerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeApiClient _api = new();

    public void Dispose() => _dir.Dispose();

    private string VolumeDir(string plugin, string name) => Path.Combine(_dir.Path, Uid, "volumes", plugin, name);

    [Fact]
    public async Task MountVolumes_EmptyDir_CreatesWorldWritableDirectoryAndWritableMount()
    {
        var pod = Pod(new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } });

        var mounts = await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();

        var dir = VolumeDir("kubernetes.io~empty-dir", "scratch");
        Assert.True(Directory.Exists(dir));
        Assert.Equal(Octal("777"), Mode(dir));
        var mount = Assert.Single(mounts);
        Assert.Equal(new Berth.Kubelet.Abstractions.VolumeMount("app", dir, "/mnt/scratch", false, null), mount);
    }

    [Fact]
    public async Task MountVolumes_InitAndMainContainers_OneMountPerVolumeMountInOrder()
    {
        var pod = Pod(new V1Volume { Name = "a", EmptyDir = new V1EmptyDirVolumeSource() }, new V1Volume { Name = "b", EmptyDir = new V1EmptyDirVolumeSource() });
        pod.Spec.InitContainers = [new V1Container { Name = "init", VolumeMounts = [new V1VolumeMount { Name = "b", MountPath = "/b", ReadOnlyProperty = true }] }];

        var mounts = await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();

        Assert.Equal(["init:/b:True", "app:/mnt/a:False", "app:/mnt/b:False"], mounts.Select(m => $"{m.ContainerName}:{m.MountPath}:{m.ReadOnly}"));
    }

    [Fact]
    public async Task MountVolumes_MountOfUnknownVolume_ThrowsContainerConfigError()
    {
        var pod = Pod();
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "ghost", MountPath = "/g" }];

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(VolumeSetupException.CreateContainerConfigError, ex.Reason);
        Assert.Equal("cannot find volume \"ghost\" to mount into container \"app\"", ex.Message);
    }

    [Fact]
    public async Task MountVolumes_UnsupportedVolumeType_ThrowsFailedMount()
    {
        var pod = Pod(new V1Volume { Name = "data", Nfs = new V1NFSVolumeSource { Server = "nfs", Path = "/x" } });

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(VolumeSetupException.FailedMount, ex.Reason);
        Assert.Equal("MountVolume.SetUp failed for volume \"data\" : volume type nfs is not supported by Berth", ex.Message);
    }

    [Fact]
    public async Task MountVolumes_ClaimMissingOrUnbound_FailedMountWithUpstreamText()
    {
        var pod = Pod(new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "c" } });

        var missing = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None)).DefaultTimeout();
        Assert.Equal(VolumeSetupException.FailedMount, missing.Reason);
        Assert.EndsWith("failed to process volumes=[data]: error processing PVC default/c: failed to fetch PVC from API server: persistentvolumeclaims \"c\" not found",
            missing.Message, StringComparison.Ordinal);

        await _api.CreateAsync(KindRegistry.PersistentVolumeClaims, "default", JsonNode.Parse("""{"metadata":{"name":"c","namespace":"default","uid":"cu"},"spec":{},"status":{"phase":"Pending"}}""")!.AsObject());
        var unbound = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None)).DefaultTimeout();
        Assert.EndsWith("error processing PVC default/c: PVC is not bound", unbound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MountVolumes_BoundClaim_UsesTheVolumesDirectoryReadOnlyWhenAsked()
    {
        var target = Path.Combine(_dir.Path, "pv-data");
        await _api.CreateAsync(KindRegistry.PersistentVolumeClaims, "default", JsonNode.Parse("""
            {"metadata":{"name":"c","namespace":"default","uid":"cu"},"spec":{"volumeName":"pv1"},"status":{"phase":"Bound"}}
            """)!.AsObject());
        await _api.CreateAsync(KindRegistry.PersistentVolumes, null, JsonNode.Parse("""
            {"metadata":{"name":"pv1"},"spec":{"claimRef":{"uid":"cu"},"hostPath":{"path":"@path@","type":"DirectoryOrCreate"}}}
            """.Replace("@path@", target))!.AsObject());
        var pod = Pod(new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "c", ReadOnlyProperty = true } });

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());

        Assert.True(Directory.Exists(target));
        Assert.Equal(new Berth.Kubelet.Abstractions.VolumeMount("app", target, "/mnt/data", true, null), mount);
    }

    [Fact]
    public async Task MountVolumes_SubPath_CreatesDirectoryInsideVolume()
    {
        var pod = Pod(new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() });
        pod.Spec.Containers[0].VolumeMounts[0].SubPath = "logs/app";

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());

        Assert.Equal(Path.Combine(VolumeDir("kubernetes.io~empty-dir", "scratch"), "logs/app"), mount.HostPath);
        Assert.True(Directory.Exists(mount.HostPath));
        Assert.Equal("logs/app", mount.SubPath);
    }

    [Fact]
    public async Task MountVolumes_SubPathExpr_ExpandsEnvAndFieldRefs()
    {
        var pod = Pod(new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() });
        var container = pod.Spec.Containers[0];
        container.Env =
        [
            new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "DIR", Value = "$(POD)-data" },
        ];
        container.VolumeMounts[0].SubPathExpr = "$(DIR)/$$x";

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());

        Assert.Equal("web-data/$x", mount.SubPath);
    }

    [Fact]
    public async Task MountVolumes_SubPathExprWithUnknownVariable_ThrowsContainerConfigError()
    {
        var pod = Pod(new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() });
        pod.Spec.Containers[0].VolumeMounts[0].SubPathExpr = "$(NOPE)/$(ALSO)";

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(VolumeSetupException.CreateContainerConfigError, ex.Reason);
        Assert.Equal("missing value for ALSO, NOPE", ex.Message);
    }

    [Fact]
    public async Task UnmountVolumes_RemovesVolumesButNeverFollowsLinksOrTouchesHostPath()
    {
        using var outside = new TempDirectory();
        var kept = Path.Combine(outside.Path, "keep.txt");
        await File.WriteAllTextAsync(kept, "x");
        var pod = Pod(new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = outside.Path, Type = "Directory" } });
        var manager = Manager(_dir.Path, _api);
        await manager.MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();
        File.CreateSymbolicLink(Path.Combine(VolumeDir("kubernetes.io~empty-dir", "scratch"), "escape"), outside.Path);

        await manager.UnmountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();
        await manager.UnmountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();

        Assert.False(Directory.Exists(Path.Combine(_dir.Path, Uid, "volumes")));
        Assert.True(File.Exists(kept));
    }
}

using System.Text;
using Berth.Kubelet.Volumes;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using Berth.UnitTests.Server;
using k8s.Models;
using static Berth.UnitTests.Kubelet.Volumes.VolumeTestPods;

namespace Berth.UnitTests.Kubelet.Volumes;

public sealed class ConfigMapAndSecretVolumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeApiClient _api = new();

    public void Dispose() => _dir.Dispose();

    private string Dir(string name) => Path.Combine(_dir.Path, Uid, "volumes", "kubernetes.io~configmap", name);

    private static V1Volume ConfigMapVolume(string name, string configMap, bool? optional = null, int? defaultMode = null, params V1KeyToPath[] items) =>
        new() { Name = name, ConfigMap = new V1ConfigMapVolumeSource { Name = configMap, Optional = optional, DefaultMode = defaultMode, Items = items.Length == 0 ? null : items } };

    [Fact]
    public async Task MountVolumes_ConfigMapAllKeys_FilesWithDefaultModeBehindDataLink()
    {
        SeedConfigMap(_api, "cfg", new Dictionary<string, string> { ["app.conf"] = "port=80", ["empty"] = "" },
            new Dictionary<string, byte[]> { ["blob"] = [0, 1, 2, 255] });

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(Pod(ConfigMapVolume("config", "cfg")), CancellationToken.None).DefaultTimeout());

        var dir = Dir("config");
        Assert.Equal(dir, mount.HostPath);
        Assert.True(mount.ReadOnly);
        Assert.Equal("port=80", await File.ReadAllTextAsync(Path.Combine(dir, "app.conf")));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await File.ReadAllBytesAsync(Path.Combine(dir, "blob")));
        Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(dir, "empty")));
        Assert.Equal(Path.Combine(AtomicWriter.DataDirName, "app.conf"), new FileInfo(Path.Combine(dir, "app.conf")).LinkTarget);
        Assert.StartsWith("..2026_01_02_03_04_05.", new FileInfo(Path.Combine(dir, AtomicWriter.DataDirName)).LinkTarget, StringComparison.Ordinal);
        Assert.Equal(Octal("644"), Mode(new FileInfo(Path.Combine(dir, "app.conf")).ResolveLinkTarget(true)!.FullName));
    }

    [Fact]
    public async Task MountVolumes_ConfigMapItems_OnlyListedKeysAtPathsWithModes()
    {
        SeedConfigMap(_api, "cfg", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" });
        var volume = ConfigMapVolume("config", "cfg", defaultMode: Octal("440"),
            items: [new V1KeyToPath { Key = "a", Path = "nested/dir/a.txt", Mode = Octal("400") }, new V1KeyToPath { Key = "b", Path = "b.txt" }]);

        await Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None).DefaultTimeout();

        var dir = Dir("config");
        Assert.Equal(["b.txt", "nested"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Where(n => !n!.StartsWith("..", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(dir, "nested/dir/a.txt")));
        var data = Path.Combine(dir, AtomicWriter.DataDirName);
        Assert.Equal(Octal("400"), Mode(Path.Combine(new DirectoryInfo(data).ResolveLinkTarget(true)!.FullName, "nested/dir/a.txt")));
        Assert.Equal(Octal("440"), Mode(Path.Combine(new DirectoryInfo(data).ResolveLinkTarget(true)!.FullName, "b.txt")));
    }

    [Fact]
    public async Task MountVolumes_MissingConfigMap_ThrowsFailedMountWithUpstreamMessage()
    {
        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() =>
            Manager(_dir.Path, _api).MountVolumesAsync(Pod(ConfigMapVolume("config", "nope")), CancellationToken.None)).DefaultTimeout();

        Assert.Equal(VolumeSetupException.FailedMount, ex.Reason);
        Assert.Equal("config", ex.VolumeName);
        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap \"nope\" not found", ex.Message);
    }

    [Fact]
    public async Task MountVolumes_MissingOptionalConfigMap_EmptyVolume()
    {
        await Manager(_dir.Path, _api).MountVolumesAsync(Pod(ConfigMapVolume("config", "nope", optional: true)), CancellationToken.None).DefaultTimeout();

        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Dir("config")), e => !Path.GetFileName(e).StartsWith("..", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MountVolumes_ItemKeyMissing_ThrowsUnlessOptional()
    {
        SeedConfigMap(_api, "cfg", new Dictionary<string, string> { ["a"] = "1" });
        var item = new V1KeyToPath { Key = "zzz", Path = "z" };

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() =>
            Manager(_dir.Path, _api).MountVolumesAsync(Pod(ConfigMapVolume("config", "cfg", items: item)), CancellationToken.None)).DefaultTimeout();
        await Manager(_dir.Path, _api).MountVolumesAsync(Pod(ConfigMapVolume("config", "cfg", optional: true, items: item)), CancellationToken.None).DefaultTimeout();

        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: zzz", ex.Message);
        Assert.False(File.Exists(Path.Combine(Dir("config"), "z")));
    }

    [Fact]
    public async Task MountVolumes_ConfigMapChanged_RefreshesContentAndDropsOldVersion()
    {
        SeedConfigMap(_api, "cfg", new Dictionary<string, string> { ["a"] = "1", ["gone"] = "x" });
        var manager = Manager(_dir.Path, _api);
        var pod = Pod(ConfigMapVolume("config", "cfg"));
        await manager.MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();
        var dataLink = Path.Combine(Dir("config"), AtomicWriter.DataDirName);
        var firstVersion = new FileInfo(dataLink).LinkTarget;
        await manager.MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();
        Assert.Equal(firstVersion, new FileInfo(dataLink).LinkTarget);

        var cm = await _api.GetAsync(KindRegistry.ConfigMaps, "default", "cfg");
        cm["data"] = new System.Text.Json.Nodes.JsonObject { ["a"] = "2", ["new"] = "n" };
        await _api.UpdateAsync(KindRegistry.ConfigMaps, "default", cm);
        await manager.MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();

        Assert.NotEqual(firstVersion, new FileInfo(dataLink).LinkTarget);
        Assert.Equal("2", await File.ReadAllTextAsync(Path.Combine(Dir("config"), "a")));
        Assert.Equal("n", await File.ReadAllTextAsync(Path.Combine(Dir("config"), "new")));
        Assert.False(File.Exists(Path.Combine(Dir("config"), "gone")));
        Assert.False(Directory.Exists(Path.Combine(Dir("config"), firstVersion!)));
    }

    [Fact]
    public async Task MountVolumes_Secret_DecodedFilesWithDefaultMode()
    {
        SeedSecret(_api, "creds", new Dictionary<string, string> { ["password"] = "s3cr3t" });
        var volume = new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds", DefaultMode = Octal("600") } };

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None).DefaultTimeout());

        var file = Path.Combine(mount.HostPath, "password");
        Assert.Equal(Path.Combine(_dir.Path, Uid, "volumes", "kubernetes.io~secret", "creds"), mount.HostPath);
        Assert.True(mount.ReadOnly);
        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        Assert.Equal(Octal("600"), Mode(new FileInfo(file).ResolveLinkTarget(true)!.FullName));
    }

    [Fact]
    public async Task MountVolumes_MissingSecret_MessageNamesSecretOnly()
    {
        var volume = new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db", Items = [new V1KeyToPath { Key = "k", Path = "k" }] } };

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None)).DefaultTimeout();
        SeedSecret(_api, "db", new Dictionary<string, string> { ["other"] = "hidden-value" });
        var missingKey = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None)).DefaultTimeout();

        Assert.Equal("MountVolume.SetUp failed for volume \"creds\" : secret \"db\" not found", ex.Message);
        Assert.Equal("MountVolume.SetUp failed for volume \"creds\" : references non-existent secret key: k", missingKey.Message);
        Assert.DoesNotContain("hidden-value", missingKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MountVolumes_SubPathToConfigMapKey_ResolvesToTheFile()
    {
        SeedConfigMap(_api, "cfg", new Dictionary<string, string> { ["nginx.conf"] = "events {}" });
        var pod = Pod(ConfigMapVolume("config", "cfg"));
        pod.Spec.Containers[0].VolumeMounts[0].SubPath = "nginx.conf";

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());

        Assert.Equal("events {}", await File.ReadAllTextAsync(mount.HostPath));
        Assert.True(mount.ReadOnly);
    }
}

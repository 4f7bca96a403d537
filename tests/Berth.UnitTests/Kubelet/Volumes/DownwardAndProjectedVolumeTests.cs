using System.Net.Sockets;
using Berth.Kubelet.Volumes;
using Berth.Testing.Fakes;
using Berth.UnitTests.Server;
using k8s.Models;
using static Berth.UnitTests.Kubelet.Volumes.VolumeTestPods;

namespace Berth.UnitTests.Kubelet.Volumes;

public sealed class DownwardAndProjectedVolumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeApiClient _api = new();

    public void Dispose() => _dir.Dispose();

    private static V1DownwardAPIVolumeFile Field(string path, string fieldPath) =>
        new() { Path = path, FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } };

    private static V1DownwardAPIVolumeFile Resource(string path, string resource, string? divisor = null) =>
        new() { Path = path, ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "app", Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) } };

    [Fact]
    public async Task MountVolumes_DownwardApi_WritesMetadataLikeUpstream()
    {
        var volume = new V1Volume
        {
            Name = "podinfo",
            DownwardAPI = new V1DownwardAPIVolumeSource
            {
                Items = [Field("labels", "metadata.labels"), Field("name", "metadata.name"), Field("ns", "metadata.namespace"),
                    Field("uid", "metadata.uid"), Field("note", "metadata.annotations['note']"), Field("annotations", "metadata.annotations"),
                    Field("missing", "metadata.labels['none']")],
            },
        };

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None).DefaultTimeout());

        string Read(string f) => File.ReadAllText(Path.Combine(mount.HostPath, f));
        Assert.Equal(Path.Combine(_dir.Path, Uid, "volumes", "kubernetes.io~downward-api", "podinfo"), mount.HostPath);
        Assert.Equal("app=\"web\"\ntier=\"fr\\\"ont\"", Read("labels"));
        Assert.Equal("web", Read("name"));
        Assert.Equal("default", Read("ns"));
        Assert.Equal(Uid, Read("uid"));
        Assert.Equal("hello", Read("note"));
        Assert.Equal("note=\"hello\"", Read("annotations"));
        Assert.Equal("", Read("missing"));
    }

    [Fact]
    public async Task MountVolumes_DownwardApiResources_LimitsDefaultToNodeAllocatableAndRoundUp()
    {
        var pod = Pod(new V1Volume
        {
            Name = "res",
            DownwardAPI = new V1DownwardAPIVolumeSource
            {
                Items = [Resource("cpu_limit", "limits.cpu"), Resource("mem_limit", "limits.memory", "1Mi"),
                    Resource("cpu_request", "requests.cpu", "1m"), Resource("mem_request", "requests.memory", "1Mi"),
                    Resource("cpu_request_cores", "requests.cpu")],
            },
        });
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("100M") },
        };

        var mount = Assert.Single(await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());

        string Read(string f) => File.ReadAllText(Path.Combine(mount.HostPath, f));
        Assert.Equal("4", Read("cpu_limit"));
        Assert.Equal("8192", Read("mem_limit"));
        Assert.Equal("250", Read("cpu_request"));
        Assert.Equal("96", Read("mem_request"));
        Assert.Equal("1", Read("cpu_request_cores"));
    }

    [Fact]
    public async Task MountVolumes_DownwardApiUnsupportedField_ThrowsFailedMount()
    {
        var volume = new V1Volume { Name = "bad", DownwardAPI = new V1DownwardAPIVolumeSource { Items = [Field("x", "spec.nodeName")] } };

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None)).DefaultTimeout();

        Assert.Equal("MountVolume.SetUp failed for volume \"bad\" : unsupported fieldPath: spec.nodeName", ex.Message);
    }

    [Fact]
    public async Task MountVolumes_Projected_MergesSourcesIncludingServiceAccountToken()
    {
        SeedConfigMap(_api, "cfg", new Dictionary<string, string> { ["ca.crt"] = "CERT" });
        SeedSecret(_api, "sec", new Dictionary<string, string> { ["token"] = "t0k" });
        var volume = new V1Volume
        {
            Name = "all",
            Projected = new V1ProjectedVolumeSource
            {
                DefaultMode = Octal("440"),
                Sources =
                [
                    new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "sa-token" } },
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "cfg" } },
                    new V1VolumeProjection { Secret = new V1SecretProjection { Name = "sec", Items = [new V1KeyToPath { Key = "token", Path = "auth/token", Mode = Octal("400") }] } },
                    new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [Field("namespace", "metadata.namespace")] } },
                ],
            },
        };

        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var api = new TokenIssuingApiClient(_api, time);
        var manager = new VolumeManager(api, new VolumeManagerOptions { PodsDirectory = _dir.Path }, time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<VolumeManager>.Instance);
        var mount = Assert.Single(await manager.MountVolumesAsync(Pod(volume), CancellationToken.None).DefaultTimeout());

        string Resolved(string f) => new FileInfo(Path.Combine(mount.HostPath, f)).FullName;
        Assert.True(mount.ReadOnly);
        Assert.Equal("CERT", File.ReadAllText(Resolved("ca.crt")));
        Assert.Equal("t0k", File.ReadAllText(Resolved("auth/token")));
        Assert.Equal("default", File.ReadAllText(Resolved("namespace")));
        Assert.Equal("token-1", File.ReadAllText(Resolved("sa-token")));
        var version = new DirectoryInfo(Path.Combine(mount.HostPath, AtomicWriter.DataDirName)).ResolveLinkTarget(true)!.FullName;
        Assert.Equal(Octal("440"), Mode(Path.Combine(version, "ca.crt")));
        Assert.Equal(Octal("400"), Mode(Path.Combine(version, "auth/token")));
    }

    [Fact]
    public async Task MountVolumes_ProjectedWithMissingSources_AggregatesErrors()
    {
        var volume = new V1Volume
        {
            Name = "all",
            Projected = new V1ProjectedVolumeSource
            {
                Sources =
                [
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "a" } },
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "opt", Optional = true } },
                    new V1VolumeProjection { Secret = new V1SecretProjection { Name = "b" } },
                ],
            },
        };

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(Pod(volume), CancellationToken.None)).DefaultTimeout();

        Assert.Equal("MountVolume.SetUp failed for volume \"all\" : [configmap \"a\" not found, secret \"b\" not found]", ex.Message);
    }

    [Fact]
    public async Task MountVolumes_HostPathTypes_CreateOrCheckLikeUpstream()
    {
        using var host = new TempDirectory();
        var newDir = Path.Combine(host.Path, "made");
        var newFile = Path.Combine(host.Path, "made.txt");
        var socketPath = Path.Combine(host.Path, "s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        V1Volume Host(string name, string path, string type) => new() { Name = name, HostPath = new V1HostPathVolumeSource { Path = path, Type = type } };
        var pod = Pod(Host("d", newDir, "DirectoryOrCreate"), Host("f", newFile, "FileOrCreate"), Host("s", socketPath, "Socket"),
            Host("c", "/dev/null", "CharDevice"), Host("any", "/does/not/exist", ""));

        var mounts = await Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();

        Assert.Equal([newDir, newFile, socketPath, "/dev/null", "/does/not/exist"], mounts.Select(m => m.HostPath));
        Assert.True(Directory.Exists(newDir));
        Assert.Equal(Octal("755"), Mode(newDir));
        Assert.True(File.Exists(newFile));
        Assert.All(mounts, m => Assert.False(m.ReadOnly));
    }

    [Theory]
    [InlineData("Directory", "/etc/hostname", "is not a directory")]
    [InlineData("File", "/etc", "is not a file")]
    [InlineData("File", "/no/such/file", "is not a file")]
    [InlineData("Socket", "/etc", "is not a socket file")]
    [InlineData("BlockDevice", "/dev/null", "is not a block device")]
    public async Task MountVolumes_HostPathWrongType_ThrowsTypeCheckFailure(string type, string path, string what)
    {
        var pod = Pod(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = path, Type = type } });

        var ex = await Assert.ThrowsAsync<VolumeSetupException>(() => Manager(_dir.Path, _api).MountVolumesAsync(pod, CancellationToken.None)).DefaultTimeout();

        Assert.Equal($"MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: {path} {what}", ex.Message);
    }
}

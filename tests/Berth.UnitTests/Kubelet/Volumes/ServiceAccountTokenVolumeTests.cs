using Berth.Kubelet.Volumes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Berth.UnitTests.Server;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Kubelet.Volumes.VolumeTestPods;

namespace Berth.UnitTests.Kubelet.Volumes;

/// <summary>The <c>kube-api-access-*</c> volume as admission adds it: token requests, refresh at 80 %, the wait for the CA ConfigMap.</summary>
public sealed class ServiceAccountTokenVolumeTests : IDisposable
{
    private const long Lifetime = 3607;
    private readonly TempDirectory _dir = new();
    private readonly FakeApiClient _fake = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly TokenIssuingApiClient _api;
    private readonly VolumeManager _manager;

    public ServiceAccountTokenVolumeTests()
    {
        _api = new TokenIssuingApiClient(_fake, _time);
        _manager = new VolumeManager(_api, new VolumeManagerOptions { PodsDirectory = _dir.Path }, _time, NullLogger<VolumeManager>.Instance);
    }

    public void Dispose() => _dir.Dispose();

    private static V1Pod AccessPod()
    {
        var volume = new V1Volume
        {
            Name = "kube-api-access-x2b4d",
            Projected = new V1ProjectedVolumeSource
            {
                DefaultMode = Octal("644"),
                Sources =
                [
                    new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = Lifetime } },
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                    new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } }] } },
                ],
            },
        };
        var pod = Pod(volume);
        pod.Spec.ServiceAccountName = "builder";
        return pod;
    }

    private void SeedCa() => SeedConfigMap(_fake, "kube-root-ca.crt", new Dictionary<string, string> { ["ca.crt"] = "CA-PEM" });

    private async Task<string> MountAndReadTokenAsync(V1Pod pod)
    {
        var mount = Assert.Single(await _manager.MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());
        return File.ReadAllText(Path.Combine(mount.HostPath, "token"));
    }

    [Fact]
    public async Task MountVolumes_TokenSource_RequestsTokenBoundToPod()
    {
        SeedCa();
        var pod = AccessPod();
        var mount = Assert.Single(await _manager.MountVolumesAsync(pod, CancellationToken.None).DefaultTimeout());

        Assert.Equal("token-1", File.ReadAllText(Path.Combine(mount.HostPath, "token")));
        Assert.Equal("CA-PEM", File.ReadAllText(Path.Combine(mount.HostPath, "ca.crt")));
        Assert.Equal("default", File.ReadAllText(Path.Combine(mount.HostPath, "namespace")));
        var request = Assert.Single(_api.Requests);
        Assert.Equal(Lifetime, request.GetLong("spec", "expirationSeconds"));
        Assert.Equal("Pod", request.GetString("spec", "boundObjectRef", "kind"));
        Assert.Equal("web", request.GetString("spec", "boundObjectRef", "name"));
        Assert.Equal(Uid, request.GetString("spec", "boundObjectRef", "uid"));
        Assert.Null(request.GetArray("spec", "audiences"));
    }

    [Fact]
    public async Task MountVolumes_BeforeEightyPercentOfLifetime_ReusesTokenThenRefreshes()
    {
        SeedCa();
        var pod = AccessPod();
        Assert.Equal("token-1", await MountAndReadTokenAsync(pod));

        _time.Advance(TimeSpan.FromSeconds(Lifetime * 0.8 - 1));
        Assert.Equal("token-1", await MountAndReadTokenAsync(pod));
        Assert.Single(_api.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await MountAndReadTokenAsync(pod));
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task MountVolumes_RefreshFailsWhileTokenValid_KeepsCachedToken()
    {
        SeedCa();
        var pod = AccessPod();
        await MountAndReadTokenAsync(pod);
        _time.Advance(TimeSpan.FromSeconds(Lifetime * 0.9));
        _api.Fail = ApiErrors.Internal("etcd is away");

        Assert.Equal("token-1", await MountAndReadTokenAsync(pod));
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task UnmountVolumes_ThenMount_RequestsNewToken()
    {
        SeedCa();
        var pod = AccessPod();
        await MountAndReadTokenAsync(pod);
        await _manager.UnmountVolumesAsync(pod, CancellationToken.None).DefaultTimeout();

        Assert.Equal("token-2", await MountAndReadTokenAsync(pod));
    }

    [Fact]
    public async Task MountVolumes_CaPublishedWhileWaiting_Succeeds()
    {
        var pod = AccessPod();
        var mounting = _manager.MountVolumesAsync(pod, CancellationToken.None);
        await AsyncTestHelpers.WaitUntilAsync(() => _api.Requests.Count >= 1);
        SeedCa();
        await AdvanceUntilDoneAsync(mounting);

        var mount = Assert.Single(await mounting.DefaultTimeout());
        Assert.Equal("CA-PEM", File.ReadAllText(Path.Combine(mount.HostPath, "ca.crt")));
        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) < ProjectedVolume.AdmissionVolumeWait);
    }

    [Fact]
    public async Task MountVolumes_CaNeverPublished_FailsAfterWait()
    {
        var mounting = _manager.MountVolumesAsync(AccessPod(), CancellationToken.None);
        await AdvanceUntilDoneAsync(mounting);

        var error = await Assert.ThrowsAsync<VolumeSetupException>(() => mounting).DefaultTimeout();
        Assert.Equal("MountVolume.SetUp failed for volume \"kube-api-access-x2b4d\" : configmap \"kube-root-ca.crt\" not found", error.Message);
    }

    [Fact]
    public async Task MountVolumes_AccountMissing_ReportsFailedTokenFetch()
    {
        SeedCa();
        _api.Fail = ApiErrors.NotFound(Berth.Machinery.Kinds.KindRegistry.ServiceAccounts, "builder");
        var mounting = _manager.MountVolumesAsync(AccessPod(), CancellationToken.None);
        await AdvanceUntilDoneAsync(mounting);

        var error = await Assert.ThrowsAsync<VolumeSetupException>(() => mounting).DefaultTimeout();
        Assert.Contains("failed to fetch token: serviceaccounts \"builder\" not found", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Moves the fake clock in 100 ms steps (bounded) until <paramref name="task"/> completes.</summary>
    private async Task AdvanceUntilDoneAsync(Task task)
    {
        for (var i = 0; i < 500 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(task, Task.Delay(10));
        }
        Assert.True(task.IsCompleted, "the mount did not finish");
    }
}

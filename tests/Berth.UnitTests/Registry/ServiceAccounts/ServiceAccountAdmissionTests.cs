using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.ServiceAccounts;

namespace Berth.UnitTests.Registry.ServiceAccounts;

public sealed class ServiceAccountAdmissionTests : IDisposable
{
    private const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    private readonly TokenTestHost host = new();

    public void Dispose() => host.Dispose();

    private static JsonObject TokenVolume(JsonObject pod) =>
        Assert.Single(pod.GetArray("spec", "volumes")!.OfType<JsonObject>(), v => v.GetString("name")!.StartsWith("kube-api-access-", StringComparison.Ordinal));

    [Fact]
    public async Task Create_DefaultPod_GetsProjectedVolumeAndReadOnlyMount()
    {
        var pod = await host.CreatePodAsync("web").DefaultTimeout();

        var volume = TokenVolume(pod);
        var name = volume.GetString("name")!;
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
        Assert.Equal(420, volume.GetLong("projected", "defaultMode"));
        var sources = volume.GetArray("projected", "sources")!.OfType<JsonObject>().ToList();
        Assert.Equal(3607, sources[0].GetLong("serviceAccountToken", "expirationSeconds"));
        Assert.Equal("token", sources[0].GetString("serviceAccountToken", "path"));
        Assert.Equal("kube-root-ca.crt", sources[1].GetString("configMap", "name"));
        Assert.Equal("ca.crt", (string?)sources[1].GetArray("configMap", "items")![0]!["key"]);
        Assert.Equal("metadata.namespace", (string?)sources[2].GetArray("downwardAPI", "items")![0]!["fieldRef"]!["fieldPath"]);
        var mount = Assert.Single(pod.GetArray("spec", "containers")![0]!.AsObject().GetArray("volumeMounts")!.OfType<JsonObject>());
        Assert.Equal(name, mount.GetString("name"));
        Assert.Equal(MountPath, mount.GetString("mountPath"));
        Assert.True(mount.GetBool("readOnly"));
    }

    [Fact]
    public async Task Create_PodOptsOut_NoVolume()
    {
        var pod = await host.CreatePodAsync("web", automount: false).DefaultTimeout();
        Assert.Null(pod.GetArray("spec", "volumes"));
    }

    [Fact]
    public async Task Create_AccountOptsOut_NoVolumeUnlessPodOptsIn()
    {
        await host.Api.CreateAsync(KindRegistry.ServiceAccounts, TokenTestHost.Ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "quiet" }, ["automountServiceAccountToken"] = false,
        });
        Assert.Null((await host.CreatePodAsync("a", "quiet").DefaultTimeout()).GetArray("spec", "volumes"));
        TokenVolume(await host.CreatePodAsync("b", "quiet", automount: true).DefaultTimeout());
    }

    [Fact]
    public void MountServiceAccountToken_InitContainersAndOwnMount_OnlyContainersWithoutMountGetIt()
    {
        var spec = new JsonObject
        {
            ["initContainers"] = new JsonArray(new JsonObject { ["name"] = "init" }),
            ["containers"] = new JsonArray(
                new JsonObject { ["name"] = "a" },
                new JsonObject { ["name"] = "b", ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "mine", ["mountPath"] = MountPath }) }),
        };

        ServiceAccountAdmission.MountServiceAccountToken(spec, () => "zzzzz");

        Assert.Equal("kube-api-access-zzzzz", (string?)spec.GetArray("volumes")![0]!["name"]);
        Assert.Equal("kube-api-access-zzzzz", (string?)spec.GetArray("initContainers")![0]!["volumeMounts"]![0]!["name"]);
        Assert.Equal("kube-api-access-zzzzz", (string?)spec.GetArray("containers")![0]!["volumeMounts"]![0]!["name"]);
        Assert.Equal("mine", (string?)Assert.Single(spec.GetArray("containers")![1]!["volumeMounts"]!.AsArray())!["name"]);
    }

    [Fact]
    public async Task Create_MirrorPod_Untouched()
    {
        var pod = await host.Api.CreateAsync(KindRegistry.Pods, TokenTestHost.Ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "static", ["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "abc" } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
        }).DefaultTimeout();
        Assert.Null(pod.GetArray("spec", "volumes"));
    }

    [Fact]
    public async Task Create_RegistryWithoutIssuer_NoVolume()
    {
        using var bare = new TokenTestHost(withIssuer: false);
        Assert.Null((await bare.CreatePodAsync("web").DefaultTimeout()).GetArray("spec", "volumes"));
    }
}

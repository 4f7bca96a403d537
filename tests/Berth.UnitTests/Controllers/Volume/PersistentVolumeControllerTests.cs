using System.Text.Json.Nodes;
using Berth.Controllers.Volume;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Storage;

namespace Berth.UnitTests.Controllers.Volume;

/// <summary>The binder and provisioner end to end over the registry: static binding, WaitForFirstConsumer provisioning, reclaim, protection.</summary>
public sealed class PersistentVolumeControllerTests : IAsyncDisposable
{
    private const string Ns = VolumeTestHost.Ns;
    private readonly string _root = Directory.CreateTempSubdirectory("stor13-pv").FullName;
    private readonly VolumeTestHost _host;

    public PersistentVolumeControllerTests() => _host = new VolumeTestHost(_root);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static JsonObject Claim(string name, string? className = null, string size = "1Gi")
    {
        var claim = JsonNode.Parse("""{"metadata":{"name":"@name@"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"@size@"}}}}""".Replace("@name@", name).Replace("@size@", size))!.AsObject();
        if (className is not null)
        {
            claim["spec"]!["storageClassName"] = className;
        }
        return claim;
    }

    private static JsonObject Volume(string name, string size, string className = "") =>
        JsonNode.Parse("""{"metadata":{"name":"@name@","labels":{"tier":"fast"}},"spec":{"capacity":{"storage":"@size@"},"accessModes":["ReadWriteOnce","ReadOnlyMany"],"storageClassName":"@className@","hostPath":{"path":"/tmp/@name@"}}}""".Replace("@name@", name).Replace("@size@", size).Replace("@className@", className))!.AsObject();

    private async Task<bool> PhaseIsAsync(ResourceKind kind, string name, string phase) =>
        (await _host.Api.GetAsync(kind, kind.Namespaced ? Ns : null, name)).GetString("status", "phase") == phase;

    [Fact]
    public async Task StaticVolumes_ClaimWithoutClass_BindsSmallestFit()
    {
        await _host.RunAsync(defaultClass: false);
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumes, null, Volume("big", "10Gi"));
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumes, null, Volume("small", "2Gi"));
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumes, null, Volume("tiny", "500Mi"));
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("data"));

        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumeClaims, "data", "Bound"), "claim bound");
        var claim = await _host.GetAsync(KindRegistry.PersistentVolumeClaims, "data");
        Assert.Equal("small", claim.GetString("spec", "volumeName"));
        Assert.Equal("2Gi", claim.GetString("status", "capacity", "storage"));
        Assert.Equal("yes", claim.GetString("metadata", "annotations", VolumeAnnotations.BindCompleted));
        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumes, "small", "Bound"), "volume bound");
        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumes, "big", "Available"), "others available");
    }

    [Fact]
    public async Task NoVolumeNoClass_FailedBindingEvent()
    {
        await _host.RunAsync(defaultClass: false);
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("data", className: ""));
        var e = await _host.Events.WaitForAsync(e => e.Reason == "FailedBinding");
        Assert.Equal(PersistentVolumeController.NoClassMessage, e.Message);
    }

    [Fact]
    public async Task WaitForFirstConsumer_ProvisionsOnlyOnceANodeIsSelected()
    {
        await _host.RunAsync();
        var created = await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("data"));
        Assert.Equal("local-path", created.GetString("spec", "storageClassName"));
        Assert.Contains(StorageAdmission.PvcProtectionFinalizer, created.GetArray("metadata", "finalizers")!.Select(f => f!.GetValue<string>()));
        await _host.Events.WaitForAsync(e => e.Reason == "WaitForFirstConsumer");
        Assert.Empty((await _host.Api.ListAsync(KindRegistry.PersistentVolumes, null)).Items);

        await _host.Api.PatchAsync(KindRegistry.PersistentVolumeClaims, Ns, "data", PatchType.Merge,
            JsonNode.Parse("""{"metadata":{"annotations":{"volume.kubernetes.io/selected-node":"vm"}}}""")!);

        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumeClaims, "data", "Bound"), "claim bound");
        var claim = await _host.GetAsync(KindRegistry.PersistentVolumeClaims, "data");
        var pv = await _host.Api.GetAsync(KindRegistry.PersistentVolumes, null, claim.GetString("spec", "volumeName")!);
        Assert.Equal("pvc-" + claim.GetUid(), pv.GetName());
        Assert.Equal(_host.Provisioner.DirectoryFor(claim), pv.GetString("spec", "hostPath", "path"));
        Assert.True(Directory.Exists(_host.Provisioner.DirectoryFor(claim)));
        Assert.Equal("Delete", pv.GetString("spec", "persistentVolumeReclaimPolicy"));
        Assert.Equal("vm", pv.GetPath("spec", "nodeAffinity", "required", "nodeSelectorTerms")![0]!["matchExpressions"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Contains(_host.Events.Events, e => e.Reason == "ProvisioningSucceeded" && e.Message == "Successfully provisioned volume " + pv.GetName());
    }

    [Fact]
    public async Task ClaimWithoutClass_GetsTheDefaultClassOnceOneExists()
    {
        await _host.RunAsync(defaultClass: false);
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("data"));
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("static", className: ""));

        await new Berth.Controllers.Bootstrap.DefaultStorageClass(_host.Api,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Berth.Controllers.Bootstrap.DefaultStorageClass>.Instance).RunAsync(CancellationToken.None);

        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.PersistentVolumeClaims, "data")).GetString("spec", "storageClassName") == "local-path",
            "retroactive default class");
        Assert.Equal("", (await _host.GetAsync(KindRegistry.PersistentVolumeClaims, "static")).GetString("spec", "storageClassName"));
    }

    [Fact]
    public async Task DeletedClaim_DeletePolicy_RemovesVolumeAndDirectory()
    {
        await _host.RunAsync();
        var claim = Claim("data");
        claim["metadata"]!["annotations"] = new JsonObject { [VolumeAnnotations.SelectedNode] = "vm" };
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, claim);
        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumeClaims, "data", "Bound"), "claim bound");
        var bound = await _host.GetAsync(KindRegistry.PersistentVolumeClaims, "data");
        var directory = _host.Provisioner.DirectoryFor(bound);

        await _host.Api.DeleteAsync(KindRegistry.PersistentVolumeClaims, Ns, "data");

        await _host.WaitUntilAsync(async () => (await _host.Api.ListAsync(KindRegistry.PersistentVolumes, null)).Items.Count == 0, "volume deleted");
        Assert.False(Directory.Exists(directory));
        Assert.False(await _host.ExistsAsync(KindRegistry.PersistentVolumeClaims, "data"));
    }

    [Fact]
    public async Task DeletedClaim_RetainPolicy_VolumeReleased()
    {
        await _host.RunAsync(defaultClass: false);
        var volume = Volume("keep", "1Gi");
        volume["spec"]!["claimRef"] = new JsonObject { ["namespace"] = Ns, ["name"] = "data" };
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumes, null, volume);
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("data", className: ""));
        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumeClaims, "data", "Bound"), "pre-bound claim bound");

        await _host.Api.DeleteAsync(KindRegistry.PersistentVolumeClaims, Ns, "data");

        await _host.WaitUntilAsync(() => PhaseIsAsync(KindRegistry.PersistentVolumes, "keep", "Released"), "volume released");
    }

    [Fact]
    public async Task ClaimInUse_StaysUntilThePodIsGone()
    {
        await _host.RunAsync(defaultClass: false);
        await _host.Api.CreateAsync(KindRegistry.PersistentVolumeClaims, Ns, Claim("data", className: ""));
        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, JsonNode.Parse("""
            {"metadata":{"name":"user"},"spec":{"nodeName":"vm","containers":[{"name":"c","image":"busybox"}],
             "volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"data"}}]}}
            """)!.AsObject());
        await _host.Api.DeleteAsync(KindRegistry.PersistentVolumeClaims, Ns, "data");
        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.PersistentVolumeClaims, "data")).GetString("metadata", "deletionTimestamp") is not null);
        for (var i = 0; i < 10; i++)
        {
            _host.FakeTime!.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
        Assert.True(await _host.ExistsAsync(KindRegistry.PersistentVolumeClaims, "data"));

        await _host.Api.DeleteAsync(KindRegistry.Pods, Ns, "user", new DeleteOptions(GracePeriodSeconds: 0));

        await _host.WaitUntilAsync(async () => !await _host.ExistsAsync(KindRegistry.PersistentVolumeClaims, "data"), "claim gone with its pod");
    }
}

using System.Text.Json.Nodes;
using Berth.Controllers.Volume;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.Volume;

public sealed class LocalPathProvisionerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("stor13-lp").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly JsonObject Claim = JsonNode.Parse("""
        {"metadata":{"name":"data","namespace":"apps","uid":"1234","resourceVersion":"7"},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}},"storageClassName":"local-path","volumeMode":"Filesystem"}}
        """)!.AsObject();

    private static readonly JsonObject Class = JsonNode.Parse("""{"metadata":{"name":"local-path"},"provisioner":"berth.dev/local-path","reclaimPolicy":"Retain"}""")!.AsObject();

    [Fact]
    public void Provision_CreatesDirectoryAndPreBoundHostPathVolume()
    {
        var provisioner = new LocalPathProvisioner(_root);
        var pv = provisioner.Provision(Claim, Class, "vm");

        var path = Path.Combine(_root, "pvc-1234_apps_data");
        Assert.True(Directory.Exists(path));
        Assert.Equal("pvc-1234", pv.GetName());
        Assert.Equal(path, pv.GetString("spec", "hostPath", "path"));
        Assert.Equal("DirectoryOrCreate", pv.GetString("spec", "hostPath", "type"));
        Assert.Equal("2Gi", pv.GetString("spec", "capacity", "storage"));
        Assert.Equal("Retain", pv.GetString("spec", "persistentVolumeReclaimPolicy"));
        Assert.Equal("1234", pv.GetString("spec", "claimRef", "uid"));
        Assert.Equal(LocalPathProvisioner.ProvisionerName, pv.GetString("metadata", "annotations", VolumeAnnotations.ProvisionedBy));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal((UnixFileMode)0x1FF, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Delete_RemovesOnlyDirectoriesBelowRoot()
    {
        var provisioner = new LocalPathProvisioner(_root);
        var pv = provisioner.Provision(Claim, Class, null);
        Assert.Null(pv.GetPath("spec", "nodeAffinity"));
        File.WriteAllText(Path.Combine(provisioner.DirectoryFor(Claim), "file"), "x");

        Assert.True(provisioner.Delete(pv));
        Assert.False(Directory.Exists(provisioner.DirectoryFor(Claim)));

        var outside = JsonNode.Parse("""{"spec":{"hostPath":{"path":"@_root@/../elsewhere"}}}""".Replace("@_root@", _root))!.AsObject();
        Assert.False(provisioner.Delete(outside));
        Assert.False(provisioner.Delete(JsonNode.Parse("""{"spec":{"hostPath":{"path":"@_root@"}}}""".Replace("@_root@", _root))!.AsObject()));
        Assert.True(Directory.Exists(_root));
    }
}

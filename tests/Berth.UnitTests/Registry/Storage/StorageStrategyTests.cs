using Berth.Registry.Core.PersistentVolumeClaims;
using Berth.Registry.Core.PersistentVolumes;
using Berth.Registry.Storage.StorageClasses;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Storage;

public sealed class StorageStrategyTests
{
    private const string ValidClaim =
        """{"metadata":{"name":"data","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""";

    private const string ValidVolume =
        """{"metadata":{"name":"pv1"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/pv1"}}}""";

    [Fact]
    public void Claim_Valid_DefaultsPendingAndFilesystem()
    {
        var claim = Parse(ValidClaim);
        Assert.Empty(Create(new PersistentVolumeClaimStrategy(), claim));
        Assert.Equal("Pending", claim["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("Filesystem", claim["spec"]!["volumeMode"]!.GetValue<string>());
    }

    [Fact]
    public void Claim_NoAccessModesNoStorage_RequiredAtUpstreamPaths() =>
        Assert.Equal(
            ["spec.accessModes: Required value: at least 1 access mode is required", "spec.resources[storage]: Required value"],
            Create(new PersistentVolumeClaimStrategy(), Parse("""{"metadata":{"name":"c","namespace":"default"},"spec":{}}""")));

    [Theory]
    [InlineData("""{"accessModes":["Sometimes"],"resources":{"requests":{"storage":"1Gi"}}}""",
        "spec.accessModes: Unsupported value: \"Sometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"")]
    [InlineData("""{"accessModes":["ReadWriteOncePod","ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}""",
        "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes")]
    [InlineData("""{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"0"}}}""",
        "spec.resources[storage]: Invalid value: \"0\": must be greater than zero")]
    [InlineData("""{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"Bad_Name"}""",
        "spec.storageClassName: Invalid value: \"Bad_Name\"")]
    public void Claim_InvalidSpec_Rejected(string spec, string expected)
    {
        var claim = Parse("""{"metadata":{"name":"c","namespace":"default"}}""");
        claim["spec"] = Parse(spec);
        Assert.Contains(Create(new PersistentVolumeClaimStrategy(), claim), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Claim_Update_SpecImmutableButVolumeNameSetOnce()
    {
        var strategy = new PersistentVolumeClaimStrategy();
        var old = Parse(ValidClaim);
        strategy.PrepareForCreate(old);
        strategy.Default(old);
        Assert.Empty(Update(strategy, With(old, c => c["spec"]!["volumeName"] = "pv1"), old));
        Assert.Contains(Update(strategy, With(old, c => c["spec"]!["accessModes"] = Parse("""{"a":["ReadWriteMany"]}""")["a"]!.DeepClone()), old),
            e => e.StartsWith("spec: Forbidden: " + PersistentVolumeClaimValidation.SpecImmutableMessage + "\n  spec.accessModes[0]", StringComparison.Ordinal));
        Assert.Contains(Update(strategy, With(old, c => c["spec"]!["resources"]!["requests"]!["storage"] = "2Gi"), old),
            e => e.StartsWith("spec: Forbidden: " + PersistentVolumeClaimValidation.SpecImmutableMessage + "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Claim_BoundUpdate_StorageMayGrowNotShrink()
    {
        var strategy = new PersistentVolumeClaimStrategy();
        var old = Parse(ValidClaim);
        old["spec"]!["volumeName"] = "pv1";
        old["status"] = Parse("""{"phase":"Bound"}""");
        strategy.Default(old);
        Assert.Empty(Update(strategy, With(old, c => c["spec"]!["resources"]!["requests"]!["storage"] = "2Gi"), old));
        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than previous value",
            Update(strategy, With(old, c => c["spec"]!["resources"]!["requests"]!["storage"] = "512Mi"), old));
    }

    [Fact]
    public void Volume_Valid_DefaultsRetainFilesystemPending()
    {
        var volume = Parse(ValidVolume);
        Assert.Empty(Create(new PersistentVolumeStrategy(), volume));
        Assert.Equal("Retain", volume["spec"]!["persistentVolumeReclaimPolicy"]!.GetValue<string>());
        Assert.Equal("Pending", volume["status"]!["phase"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"]}""", "spec: Required value: must specify a volume type")]
    [InlineData("""{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/a"},"local":{"path":"/b"}}""",
        "spec.local: Forbidden: may not specify more than 1 volume type")]
    [InlineData("""{"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/a"}}""", "spec.capacity: Required value")]
    [InlineData("""{"capacity":{"storage":"1Gi"},"hostPath":{"path":"/a"}}""", "spec.accessModes: Required value")]
    [InlineData("""{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"local":{"path":"/a"}}""",
        "spec.nodeAffinity: Required value: Local volume requires node affinity")]
    [InlineData("""{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/a"},"persistentVolumeReclaimPolicy":"Keep"}""",
        "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\"")]
    public void Volume_InvalidSpec_Rejected(string spec, string expected)
    {
        var volume = Parse("""{"metadata":{"name":"pv"}}""");
        volume["spec"] = Parse(spec);
        Assert.Contains(Create(new PersistentVolumeStrategy(), volume), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Volume_Update_SourceImmutable()
    {
        var old = Parse(ValidVolume);
        Assert.Contains("spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation",
            Update(new PersistentVolumeStrategy(), With(old, v => v["spec"]!["hostPath"]!["path"] = "/elsewhere"), old));
    }

    [Fact]
    public void StorageClass_DefaultsAndRequiredProvisioner()
    {
        var sc = Parse("""{"metadata":{"name":"fast"}}""");
        Assert.Equal(["provisioner: Required value"], Create(new StorageClassStrategy(), sc));
        Assert.Equal("Delete", sc["reclaimPolicy"]!.GetValue<string>());
        Assert.Equal("Immediate", sc["volumeBindingMode"]!.GetValue<string>());
    }

    [Fact]
    public void StorageClass_Update_ProvisionerParametersImmutable()
    {
        var old = Parse("""{"metadata":{"name":"fast"},"provisioner":"a.io/x","parameters":{"k":"v"},"reclaimPolicy":"Delete","volumeBindingMode":"Immediate"}""");
        var errors = Update(new StorageClassStrategy(), With(old, s => { s["provisioner"] = "b.io/y"; s["parameters"]!["k"] = "w"; }), old);
        Assert.Contains("parameters: Forbidden: updates to parameters are forbidden.", errors);
        Assert.Contains("provisioner: Forbidden: updates to provisioner are forbidden.", errors);
    }
}

using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>PersistentVolumeClaims, PersistentVolumes and StorageClasses as kubectl 1.32 prints them.</summary>
public sealed class StoragePrinterTests
{
    [Fact]
    public void Claim_Bound_PrintsVolumeCapacityAndModesFromStatus() =>
        Assert.Equal(["data", "Bound", "pvc-1", "1Gi", "RWO,RWX", "local-path", "<unset>", "3h", "Filesystem"],
            Cells(KindRegistry.PersistentVolumeClaims, """
                {"metadata":{"name":"data","creationTimestamp":"ago:10800"},
                 "spec":{"volumeName":"pvc-1","storageClassName":"local-path","volumeMode":"Filesystem","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"500Mi"}}},
                 "status":{"phase":"Bound","capacity":{"storage":"1Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"]}}
                """));

    [Fact]
    public void Claim_Pending_LeavesCapacityAndModesEmpty() =>
        Assert.Equal(["data", "Pending", "", "", "", "", "<unset>", "5m10s", "<unset>"],
            Cells(KindRegistry.PersistentVolumeClaims, """{"metadata":{"name":"data","creationTimestamp":"ago:310"},"spec":{"accessModes":["ReadWriteOnce"]},"status":{"phase":"Pending"}}"""));

    [Fact]
    public void Claim_Deleting_IsTerminating_BetaAnnotationClassWins()
    {
        const string Claim = """{"metadata":{"name":"c","deletionTimestamp":"2025-03-01T11:00:00Z","annotations":{"volume.beta.kubernetes.io/storage-class":"old"}},"spec":{"storageClassName":"new"},"status":{"phase":"Bound"}}""";
        Assert.Equal("Terminating", Cell(KindRegistry.PersistentVolumeClaims, Claim, "Status"));
        Assert.Equal("old", Cell(KindRegistry.PersistentVolumeClaims, Claim, "StorageClass"));
    }

    [Fact]
    public void Volume_PrintsClaimAsNamespaceSlashName() =>
        Assert.Equal(["pvc-1", "1Gi", "RWOP", "Delete", "Bound", "default/data", "local-path", "<unset>", "", "2d5h", "Filesystem"],
            Cells(KindRegistry.PersistentVolumes, """
                {"metadata":{"name":"pvc-1","creationTimestamp":"ago:190800"},
                 "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOncePod"],"persistentVolumeReclaimPolicy":"Delete","storageClassName":"local-path","volumeMode":"Filesystem","claimRef":{"namespace":"default","name":"data"}},
                 "status":{"phase":"Bound"}}
                """));

    [Fact]
    public void StorageClass_DefaultMarkedAndBooleanExpansion() =>
        Assert.Equal(["local-path (default)", "berth.dev/local-path", "Delete", "WaitForFirstConsumer", false, "13s"],
            Cells(KindRegistry.StorageClasses, """
                {"metadata":{"name":"local-path","creationTimestamp":"ago:13","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
                 "provisioner":"berth.dev/local-path","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer"}
                """));

    [Fact]
    public void StorageClass_UnsetPolicyAndModeShowDefaults() =>
        Assert.Equal(["fast", "example.com/x", "Delete", "Immediate", true, "13s"],
            Cells(KindRegistry.StorageClasses, """{"metadata":{"name":"fast","creationTimestamp":"ago:13"},"provisioner":"example.com/x","allowVolumeExpansion":true}"""));
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get storageclasses</c>: Name (with <c> (default)</c> for the default class), Provisioner,
/// ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion (a boolean cell), Age.
/// Mirrors printStorageClass in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class StorageClassPrinter : ITablePrinter
{
    public const string DefaultAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaDefaultAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Provisioner", "provisioner indicates the type of the provisioner."),
        CommonColumns.Text("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
        CommonColumns.Text("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
        new TableColumn("AllowVolumeExpansion", "boolean", "", "allowVolumeExpansion shows whether the storage class allow volume expand."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var annotations = obj.Obj("metadata").Obj("annotations");
        var isDefault = annotations.Str(DefaultAnnotation) == "true" || annotations.Str(BetaDefaultAnnotation) == "true";
        return
        [
            MetaCells.Name(obj) + (isDefault ? " (default)" : ""),
            obj.StrOrEmpty("provisioner"),
            obj.Str("reclaimPolicy") ?? "Delete",
            obj.Str("volumeBindingMode") ?? "Immediate",
            obj.Bool("allowVolumeExpansion") ?? false,
            MetaCells.Age(obj, now),
        ];
    }
}

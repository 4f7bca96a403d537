using System.Text.Json.Nodes;
using Berth.Registry.Core.PersistentVolumes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get persistentvolumes</c>: Name, Capacity, Access Modes, Reclaim Policy, Status (<c>Terminating</c>
/// while deleted), Claim (<c>namespace/name</c>), StorageClass, VolumeAttributesClass, Reason, Age, [VolumeMode].
/// Mirrors printPersistentVolume in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class PersistentVolumePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
        CommonColumns.Text("Access Modes", "accessModes contains all ways the volume can be mounted."),
        CommonColumns.Text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
        CommonColumns.Text("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
        CommonColumns.Text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
        CommonColumns.Text("StorageClass", "storageClassName is the name of StorageClass to which this persistent volume belongs."),
        CommonColumns.Text("VolumeAttributesClass", "Name of VolumeAttributesClass to which this persistent volume belongs."),
        CommonColumns.Text("Reason", "reason is a brief CamelCase string that describes any failure."),
        CommonColumns.Age,
        CommonColumns.Wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        var claimRef = spec.Obj("claimRef");
        return
        [
            MetaCells.Name(obj),
            spec.Obj("capacity").StrOrEmpty("storage"),
            VolumeAccessModes.ToShortString(spec.Arr("accessModes")),
            spec.StrOrEmpty("persistentVolumeReclaimPolicy"),
            MetaCells.IsDeleting(obj) ? "Terminating" : status.StrOrEmpty("phase"),
            claimRef is null ? "" : claimRef.StrOrEmpty("namespace") + "/" + claimRef.StrOrEmpty("name"),
            StorageClassNames.Of(obj),
            spec.Str("volumeAttributesClassName") is { Length: > 0 } vac ? vac : "<unset>",
            status.StrOrEmpty("reason"),
            MetaCells.Age(obj, now),
            spec.Str("volumeMode") ?? "<unset>",
        ];
    }
}

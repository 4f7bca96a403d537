using System.Text.Json.Nodes;
using Berth.Registry.Core.PersistentVolumes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get persistentvolumeclaims</c>: Name, Status (<c>Terminating</c> while deleted), Volume, Capacity and
/// Access Modes (from status, only once a volume is named), StorageClass, VolumeAttributesClass (<c>&lt;unset&gt;</c>),
/// Age, [VolumeMode]. Mirrors printPersistentVolumeClaim in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class PersistentVolumeClaimPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Status", "Phase represents the current phase of PersistentVolumeClaim."),
        CommonColumns.Text("Volume", "VolumeName is the binding reference to the PersistentVolume backing this claim."),
        CommonColumns.Text("Capacity", "Capacity represents the actual resources of the underlying volume."),
        CommonColumns.Text("Access Modes", "AccessModes contains the actual access modes the volume backing the PVC has."),
        CommonColumns.Text("StorageClass", "StorageClassName is the name of the StorageClass required by the claim."),
        CommonColumns.Text("VolumeAttributesClass", "VolumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
        CommonColumns.Age,
        CommonColumns.Wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        var volumeName = spec.StrOrEmpty("volumeName");
        var bound = volumeName.Length > 0;
        return
        [
            MetaCells.Name(obj),
            MetaCells.IsDeleting(obj) ? "Terminating" : status.StrOrEmpty("phase"),
            volumeName,
            bound ? status.Obj("capacity").StrOrEmpty("storage") : "",
            bound ? VolumeAccessModes.ToShortString(status.Arr("accessModes")) : "",
            StorageClassNames.Of(obj),
            spec.Str("volumeAttributesClassName") is { Length: > 0 } vac ? vac : "<unset>",
            MetaCells.Age(obj, now),
            spec.Str("volumeMode") ?? "<unset>",
        ];
    }
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get replicasets</c>: Name, Desired, Current, Ready (integer cells), Age, [Containers, Images, Selector].
/// Mirrors printReplicaSet in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class ReplicaSetPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Integer("Desired", "Replicas is the number of desired replicas."),
        CommonColumns.Integer("Current", "Replicas is the most recently observed number of replicas."),
        CommonColumns.Integer("Ready", "The number of ready replicas for this replica set."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        CommonColumns.Wide("Selector", "Selector is a label query over pods that should match the replica count."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        var (names, images) = ContainerCells.Layout(spec.Obj("template").Obj("spec"));
        return
        [
            MetaCells.Name(obj),
            spec.Int("replicas") ?? 1,
            status.IntOrZero("replicas"),
            status.IntOrZero("readyReplicas"),
            MetaCells.Age(obj, now),
            names,
            images,
            LabelFormatting.FormatLabelSelector(spec.Obj("selector")),
        ];
    }
}

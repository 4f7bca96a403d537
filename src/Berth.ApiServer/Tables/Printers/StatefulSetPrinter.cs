using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get statefulsets</c>: Name, Ready (<c>ready/desired</c>), Age, [Containers, Images].
/// Mirrors printStatefulSet in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class StatefulSetPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Ready", "Number of the pod with ready state"),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var (names, images) = ContainerCells.Layout(spec.Obj("template").Obj("spec"));
        var ready = obj.Obj("status").IntOrZero("readyReplicas");
        return
        [
            MetaCells.Name(obj),
            string.Create(CultureInfo.InvariantCulture, $"{ready}/{spec.Int("replicas") ?? 1}"),
            MetaCells.Age(obj, now),
            names,
            images,
        ];
    }
}

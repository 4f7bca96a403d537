using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get priorityclasses</c>: Name, Value (integer), Global-Default (boolean), Age, PreemptionPolicy.
/// Mirrors printPriorityClass in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class PriorityClassPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Integer("Value", "value represents the integer value of this priority class."),
        new("Global-Default", "boolean", "", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
        CommonColumns.Age,
        CommonColumns.Text("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
    [
        MetaCells.Name(obj),
        obj.IntOrZero("value"),
        obj.Bool("globalDefault") ?? false,
        MetaCells.Age(obj, now),
        obj.StrOrEmpty("preemptionPolicy"),
    ];
}

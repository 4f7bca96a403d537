using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get networkpolicies</c>: Name, Pod-Selector (the selector as a string, <c>&lt;none&gt;</c> when empty),
/// Age. Mirrors printNetworkPolicy in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class NetworkPolicyPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Pod-Selector", "podSelector selects the pods to which this NetworkPolicy object applies."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), LabelFormatting.FormatLabelSelector(obj.Obj("spec").Obj("podSelector") ?? []), MetaCells.Age(obj, now)];
}

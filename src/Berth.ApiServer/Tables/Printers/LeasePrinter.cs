using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get leases</c>: Name, Holder (spec.holderIdentity, "" when unset), Age.
/// Mirrors printLease in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class LeasePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Holder", "holderIdentity contains the identity of the holder of a current lease."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), obj.Obj("spec").StrOrEmpty("holderIdentity"), MetaCells.Age(obj, now)];
}

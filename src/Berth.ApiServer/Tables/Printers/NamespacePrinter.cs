using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get namespaces</c>: Name, Status (the phase), Age.
/// Mirrors printNamespace in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class NamespacePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Status", "The status of the namespace"),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), obj.Obj("status").StrOrEmpty("phase"), MetaCells.Age(obj, now)];
}

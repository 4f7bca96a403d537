using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get serviceaccounts</c>: Name, Secrets (count, an integer cell), Age.
/// Mirrors printServiceAccount in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class ServiceAccountPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), (long)obj.CountOf("secrets"), MetaCells.Age(obj, now)];
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get configmaps</c>: Name, Data (count of data plus binaryData keys, an integer cell), Age.
/// Mirrors printConfigMap in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class ConfigMapPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Data", "Data contains the configuration data."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), (long)(obj.CountOf("data") + obj.CountOf("binaryData")), MetaCells.Age(obj, now)];
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get secrets</c>: Name, Type, Data (count of data keys, an integer cell), Age.
/// Mirrors printSecret in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class SecretPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Type", "Used to facilitate programmatic handling of secret data."),
        CommonColumns.Text("Data", "Data contains the secret data."),
        CommonColumns.Age,
    ];

    /// <remarks>A secret stored without <c>type</c> prints <c>Opaque</c>, the v1 default the API applies on create.</remarks>
    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), obj.Str("type") ?? "Opaque", (long)obj.CountOf("data"), MetaCells.Age(obj, now)];
}

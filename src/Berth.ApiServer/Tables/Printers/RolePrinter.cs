using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get roles|clusterroles</c>: Name, Created At (the creation time in RFC 3339, a <c>date</c> cell).
/// Mirrors printRole and printClusterRole in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class RolePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Created At", "date", "", CommonColumns.Age.Description),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
    [
        MetaCells.Name(obj),
        CreatedAt(obj.Obj("metadata").Str("creationTimestamp")),
    ];

    /// <summary>Go's <c>Time.UTC().Format(time.RFC3339)</c>; the zero time when absent.</summary>
    private static string CreatedAt(string? timestamp) =>
        (Timestamps.TryParse(timestamp, out var t) ? t.UtcDateTime : DateTime.MinValue)
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

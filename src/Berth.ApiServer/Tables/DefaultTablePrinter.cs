using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The apiserver's default convertor for kinds without a printer: Name plus Created At (RFC 3339 in UTC; Go's zero
/// time when unset). Mirrors k8s.io/apiserver pkg/registry/rest/table.go (defaultTableConvertor).
/// </summary>
public sealed class DefaultTablePrinter : ITablePrinter
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Name", "string", "name", "Name must be unique within a namespace."),
        new("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var created = Timestamps.TryParse(obj.Obj("metadata").Str("creationTimestamp"), out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : ZeroTime;
        return [MetaCells.Name(obj), created];
    }
}

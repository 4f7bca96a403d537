using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The apiserver's default convertor for kinds without a printer: Name plus Created At.
/// Mirrors k8s.io/apiserver pkg/registry/rest/table.go (defaultTableConvertor).
/// </summary>
public sealed class DefaultTablePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Name", "string", "name", "Name must be unique within a namespace."),
        new("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [obj.GetName(), obj.GetString("metadata", "creationTimestamp")];
}

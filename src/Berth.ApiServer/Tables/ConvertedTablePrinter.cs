using System.Text.Json.Nodes;
using Berth.Registry.Conversion;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The printer of a kind served in a converted version: each object is converted back to the storage version and
/// printed by the storage version's printer, so every served version prints the same columns, as upstream's
/// TableConvertor prints the internal object whatever the request's version. Stateless, thread-safe.
/// </summary>
internal sealed class ConvertedTablePrinter(IVersionConverter converter, ITablePrinter storagePrinter) : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns => storagePrinter.Columns;

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) => storagePrinter.Cells(converter.ToStorage(obj), now);

    public JsonArray? RowConditions(JsonObject obj) => storagePrinter.RowConditions(converter.ToStorage(obj));
}

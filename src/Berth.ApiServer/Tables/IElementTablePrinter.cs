using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// A printer that also reads objects as <see cref="JsonElement"/>s, so that LISTs print rows straight from stored bytes
/// without materialising a <see cref="JsonObject"/> per item (the cost of a 3,000-pod <c>kubectl get pods</c>).
/// Both overloads of each method must give the same result for the same JSON; implementations are stateless and
/// thread-safe, and never throw on an incomplete object.
/// </summary>
public interface IElementTablePrinter : ITablePrinter
{
    /// <summary>The cells of one row, as <see cref="ITablePrinter.Cells(JsonObject, DateTimeOffset)"/>.</summary>
    /// <param name="obj">The object in storage form; only valid during the call, never retained.</param>
    /// <param name="now">The time ages are computed against, from the caller's TimeProvider.</param>
    IReadOnlyList<object?> Cells(JsonElement obj, DateTimeOffset now);

    /// <summary>The row's conditions, as <see cref="ITablePrinter.RowConditions(JsonObject)"/>.</summary>
    JsonArray? RowConditions(JsonElement obj);
}

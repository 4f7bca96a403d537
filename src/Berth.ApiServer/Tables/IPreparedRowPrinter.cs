using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// A printer whose rows split into facts read once from the object (<see cref="Prepare"/>) and cells formatted against
/// the clock (<see cref="IPreparedRow.Cells"/>), so that a LIST can reuse the facts of an unchanged stored object
/// (<see cref="PreparedRowCache"/>) instead of parsing it again. <see cref="IElementTablePrinter.Cells(JsonElement, DateTimeOffset)"/>
/// must equal <c>Prepare(obj).Cells(now)</c>. Implementations are stateless and thread-safe.
/// </summary>
public interface IPreparedRowPrinter : IElementTablePrinter
{
    /// <summary>The clock-independent facts of one row. Never throws on an incomplete object.</summary>
    /// <param name="obj">The object in storage form; only valid during the call: the result holds no element of it.</param>
    IPreparedRow Prepare(JsonElement obj);
}

/// <summary>The facts of one row. Immutable and shared between concurrent LISTs.</summary>
public interface IPreparedRow
{
    /// <summary>The row's cells at <paramref name="now"/>; a fresh list owned by the caller.</summary>
    IReadOnlyList<object?> Cells(DateTimeOffset now);

    /// <summary>The row's conditions, freshly built and owned by the caller, or null.</summary>
    JsonArray? RowConditions();
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// Server-side printing of one kind for <c>kubectl get</c>. Mirrors the printers in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go, always in their wide form (the apiserver's
/// TableConvertor passes Wide=true; kubectl hides priority-1 columns itself). Implementations are stateless and
/// thread-safe, and never throw on a stored object however incomplete: missing fields print as upstream's zero values.
/// </summary>
public interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The cells of one row, in <see cref="Columns"/> order: strings, or integers where upstream uses them.</summary>
    /// <param name="obj">The object in storage form; read only, never mutated.</param>
    /// <param name="now">The time ages are computed against, from the caller's TimeProvider.</param>
    IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now);

    /// <summary>
    /// The row's <c>conditions</c> (metav1.TableRowCondition), or null when the row has none. Only pods set them
    /// (<c>Completed</c> for terminal phases). The returned array is freshly built and owned by the caller.
    /// </summary>
    JsonArray? RowConditions(JsonObject obj) => null;
}

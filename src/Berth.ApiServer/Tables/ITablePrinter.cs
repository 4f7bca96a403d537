using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// Server-side printing of one kind for <c>kubectl get</c>. Mirrors the printers in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go. Stateless and thread-safe.
/// </summary>
public interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The cells of one row, in <see cref="Columns"/> order: strings, or integers where upstream uses them.</summary>
    IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now);
}

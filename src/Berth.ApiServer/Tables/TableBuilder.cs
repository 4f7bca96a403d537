using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Tables;

/// <summary>The <c>includeObject</c> query parameter.</summary>
public enum IncludeObjectPolicy
{
    /// <summary>No object in rows.</summary>
    None,

    /// <summary>PartialObjectMetadata (the default); kubectl needs it for -A, --show-labels and -L.</summary>
    Metadata,

    /// <summary>The full object (kubectl --sort-by).</summary>
    Object,
}

/// <summary>
/// Builds a <c>meta.k8s.io/v1 Table</c> from objects in storage form (kubectl-wire.md §5).
/// Watch events carry one-row tables; only the first needs column definitions.
/// Mirrors asTable in k8s.io/apiserver pkg/endpoints/handlers/response.go and the TableConvertor of
/// kubernetes/kubernetes pkg/printers/storage/storage.go.
/// </summary>
public static class TableBuilder
{
    /// <summary>
    /// Prints <paramref name="items"/> with the kind's printer. The items are only read; rows get copies of their
    /// metadata (PartialObjectMetadata, managedFields included as upstream does) or of the whole object.
    /// Thread-safe; cost is one pass over each item plus the copy that <paramref name="include"/> asks for.
    /// </summary>
    public static JsonObject Build(
        ResourceKind kind,
        IReadOnlyList<JsonObject> items,
        string? resourceVersion,
        string? continueToken,
        IncludeObjectPolicy include,
        DateTimeOffset now,
        bool includeColumnDefinitions = true)
    {
        var printer = TablePrinters.For(kind);
        var columns = includeColumnDefinitions ? ColumnDefinitions(printer) : [];
        var rows = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            rows.Add(BuildRow(printer, items[i], include, now));
        }
        var meta = new JsonObject();
        if (resourceVersion is not null)
        {
            meta["resourceVersion"] = resourceVersion;
        }
        if (!string.IsNullOrEmpty(continueToken))
        {
            meta["continue"] = continueToken;
        }
        return new JsonObject
        {
            ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta,
            ["columnDefinitions"] = columns, ["rows"] = rows,
        };
    }

    private static JsonArray ColumnDefinitions(ITablePrinter printer)
    {
        var columns = new JsonArray();
        foreach (var c in printer.Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format,
                ["description"] = c.Description, ["priority"] = c.Priority,
            });
        }
        return columns;
    }

    private static JsonObject BuildRow(ITablePrinter printer, JsonObject item, IncludeObjectPolicy include, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = ToCells(printer.Cells(item, now)) };
        if (printer.RowConditions(item) is { } conditions)
        {
            row["conditions"] = conditions;
        }
        switch (include)
        {
            case IncludeObjectPolicy.Metadata:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"] is JsonObject m ? m.DeepClone() : new JsonObject(),
                };
                break;
            case IncludeObjectPolicy.Object:
                row["object"] = item.DeepClone();
                break;
        }
        return row;
    }

    private static JsonArray ToCells(IReadOnlyList<object?> cells)
    {
        var array = new JsonArray();
        for (var i = 0; i < cells.Count; i++)
        {
            array.Add(cells[i] switch
            {
                null => null,
                string s => JsonValue.Create(s),
                long l => JsonValue.Create(l),
                int n => JsonValue.Create(n),
                bool b => JsonValue.Create(b),
                JsonNode n => n.DeepClone(),
                var other => JsonValue.Create(Convert.ToString(other, CultureInfo.InvariantCulture)),
            });
        }
        return array;
    }
}

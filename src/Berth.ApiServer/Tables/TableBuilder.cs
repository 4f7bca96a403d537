using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

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
/// </summary>
public static class TableBuilder
{
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
        var columns = new JsonArray();
        if (includeColumnDefinitions)
        {
            foreach (var c in printer.Columns)
            {
                columns.Add(new JsonObject
                {
                    ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format,
                    ["description"] = c.Description, ["priority"] = c.Priority,
                });
            }
        }
        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add(BuildRow(kind, printer, item, include, now));
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

    private static JsonObject BuildRow(ResourceKind kind, ITablePrinter printer, JsonObject item, IncludeObjectPolicy include, DateTimeOffset now)
    {
        var cells = new JsonArray();
        foreach (var cell in printer.Cells(item, now))
        {
            cells.Add(cell switch
            {
                null => null,
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                JsonNode n => n.DeepClone(),
                _ => JsonValue.Create(Convert.ToString(cell, System.Globalization.CultureInfo.InvariantCulture)),
            });
        }
        var row = new JsonObject { ["cells"] = cells };
        switch (include)
        {
            case IncludeObjectPolicy.Metadata:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item.Metadata().DeepClone(),
                };
                break;
            case IncludeObjectPolicy.Object:
                row["object"] = item.DeepClone();
                break;
        }
        return row;
    }
}

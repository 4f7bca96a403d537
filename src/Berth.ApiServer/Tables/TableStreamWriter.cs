using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Tables;

/// <summary>
/// Writes a <c>meta.k8s.io Table</c> token by token from stored UTF-8 items, without building a DOM of the table:
/// the same JSON as <see cref="TableBuilder.Build"/> (same members in the same order), for LISTs of thousands of rows.
/// Each item is parsed once into a pooled <see cref="JsonDocument"/>; an <see cref="IElementTablePrinter"/> reads it
/// directly, any other printer a lazily materialised <see cref="JsonObject"/> over it, and the row's PartialObjectMetadata (or whole object) is copied from the parsed
/// bytes instead of being cloned. Single writer; not thread-safe. Call <see cref="WriteStart"/>, then
/// <see cref="WriteRow"/> per item, then <see cref="WriteEnd"/>; the caller flushes the writer whenever it likes.
/// Mirrors asTable in k8s.io/apiserver pkg/endpoints/handlers/response.go.
/// </summary>
public sealed class TableStreamWriter(Utf8JsonWriter writer, ResourceKind kind, IncludeObjectPolicy include, DateTimeOffset now)
{
    private readonly ITablePrinter _printer = TablePrinters.For(kind);

    /// <summary>Writes everything before the first row: kind, apiVersion, list metadata and column definitions.</summary>
    public void WriteStart(string apiVersion, string? resourceVersion, string? continueToken, bool includeColumnDefinitions)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "Table");
        writer.WriteString("apiVersion", apiVersion);
        writer.WriteStartObject("metadata");
        if (resourceVersion is not null)
        {
            writer.WriteString("resourceVersion", resourceVersion);
        }
        if (!string.IsNullOrEmpty(continueToken))
        {
            writer.WriteString("continue", continueToken);
        }
        writer.WriteEndObject();
        writer.WriteStartArray("columnDefinitions");
        if (includeColumnDefinitions)
        {
            foreach (var c in _printer.Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("name", c.Name);
                writer.WriteString("type", c.Type);
                writer.WriteString("format", c.Format);
                writer.WriteString("description", c.Description);
                writer.WriteNumber("priority", c.Priority);
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
        writer.WriteStartArray("rows");
    }

    /// <summary>
    /// Writes the row of one stored object (UTF-8 JSON of an object). The bytes are only read. A printer with prepared
    /// rows reuses the cached row of a whole stored array (<see cref="PreparedRowCache"/>) and copies its metadata bytes.
    /// </summary>
    public void WriteRow(ReadOnlyMemory<byte> item)
    {
        if (_printer is IPreparedRowPrinter prepared && PreparedRowCache.GetOrPrepare(item, prepared) is { } cached)
        {
            WriteCachedRow(item.Span, cached);
            return;
        }
        using var doc = JsonDocument.Parse(item);
        var root = doc.RootElement;
        writer.WriteStartObject();
        writer.WritePropertyName("cells");
        JsonArray? conditions;
        if (_printer is IElementTablePrinter elements)
        {
            WriteCells(elements.Cells(root, now));
            conditions = elements.RowConditions(root);
        }
        else
        {
            var obj = root.ValueKind == JsonValueKind.Object ? JsonObject.Create(root)! : [];
            WriteCells(_printer.Cells(obj, now));
            conditions = _printer.RowConditions(obj);
        }
        WriteConditions(conditions);
        switch (include)
        {
            case IncludeObjectPolicy.Metadata:
                WritePartialObjectMetadataStart();
                WriteMetadata(root);
                writer.WriteEndObject();
                break;
            case IncludeObjectPolicy.Object:
                writer.WritePropertyName("object");
                root.WriteTo(writer);
                break;
        }
        writer.WriteEndObject();
    }

    private void WriteCachedRow(ReadOnlySpan<byte> item, CachedRow cached)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("cells");
        WriteCells(cached.Row.Cells(now));
        WriteConditions(cached.Row.RowConditions());
        switch (include)
        {
            case IncludeObjectPolicy.Metadata:
                WritePartialObjectMetadataStart();
                if (cached.MetadataStart >= 0)
                {
                    writer.WriteRawValue(item.Slice(cached.MetadataStart, cached.MetadataLength), skipInputValidation: true);
                }
                else
                {
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
                break;
            case IncludeObjectPolicy.Object:
                writer.WritePropertyName("object");
                writer.WriteRawValue(item, skipInputValidation: true);
                break;
        }
        writer.WriteEndObject();
    }

    /// <summary>Closes the rows array and the Table object.</summary>
    public void WriteEnd()
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteConditions(JsonArray? conditions)
    {
        if (conditions is not null)
        {
            writer.WritePropertyName("conditions");
            conditions.WriteTo(writer);
        }
    }

    // Opens the row's "object" as a PartialObjectMetadata up to its "metadata" property name; the caller writes the value.
    private void WritePartialObjectMetadataStart()
    {
        writer.WriteStartObject("object");
        writer.WriteString("kind", "PartialObjectMetadata");
        writer.WriteString("apiVersion", "meta.k8s.io/v1");
        writer.WritePropertyName("metadata");
    }

    private void WriteMetadata(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata"u8, out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            meta.WriteTo(writer);
            return;
        }
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    /// <summary>Cells as <see cref="TableBuilder"/> writes them: strings, integers and booleans natively, nodes as JSON.</summary>
    private void WriteCells(IReadOnlyList<object?> cells)
    {
        writer.WriteStartArray();
        for (var i = 0; i < cells.Count; i++)
        {
            switch (cells[i])
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case long l:
                    writer.WriteNumberValue(l);
                    break;
                case int n:
                    writer.WriteNumberValue(n);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case JsonNode node:
                    node.WriteTo(writer);
                    break;
                case var other:
                    writer.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture));
                    break;
            }
        }
        writer.WriteEndArray();
    }
}

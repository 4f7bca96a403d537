using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.ApiServer.Tables;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// Writes watch events as newline-terminated JSON (<c>{"type":"ADDED","object":{…}}</c>) and flushes each one. In Table
/// mode every object becomes a one-row Table (written by <see cref="TableStreamWriter"/>), with column definitions only
/// in the first; bookmarks become row-less Tables carrying the resourceVersion; ERROR events keep their Status. Single writer; not thread-safe.
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/watch.go and response.go (watch Table transformation).
/// </summary>
internal sealed class WatchEventWriter(ResourceRequest request, OutputFormat format)
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private bool _columnsSent;

    public async Task WriteAsync(ApiWatchEvent e)
    {
        var body = request.Context.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", TypeName(e.Type));
            writer.WritePropertyName("object");
            if (format.TableApiVersion is { } tableApiVersion && e.Type != ApiWatchEventType.Error)
            {
                WriteTable(writer, tableApiVersion, e);
            }
            else
            {
                e.Object.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        body.Write(Newline);
        await body.FlushAsync(request.Aborted).ConfigureAwait(false);
    }

    /// <summary>A one-row Table for an object event (columns only in the first), a row-less one for a bookmark.</summary>
    private void WriteTable(Utf8JsonWriter writer, string tableApiVersion, ApiWatchEvent e)
    {
        var table = new TableStreamWriter(writer, request.Info.Kind, format.IncludeObject, request.Time.GetUtcNow());
        var rv = e.Object.GetResourceVersion();
        if (e.Type == ApiWatchEventType.Bookmark)
        {
            table.WriteStart(tableApiVersion, rv, null, includeColumnDefinitions: false);
            table.WriteEnd();
            return;
        }
        table.WriteStart(tableApiVersion, rv, null, includeColumnDefinitions: !_columnsSent);
        table.WriteRow(Utf8(e.Object));
        table.WriteEnd();
        _columnsSent = true;
    }

    private static ReadOnlyMemory<byte> Utf8(JsonObject obj)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            obj.WriteTo(writer);
        }
        return buffer.WrittenMemory;
    }

    private static string TypeName(ApiWatchEventType type) => type switch
    {
        ApiWatchEventType.Added => "ADDED",
        ApiWatchEventType.Modified => "MODIFIED",
        ApiWatchEventType.Deleted => "DELETED",
        ApiWatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}

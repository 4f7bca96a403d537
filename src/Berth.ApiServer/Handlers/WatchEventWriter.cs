using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// Writes watch events as newline-terminated JSON (<c>{"type":"ADDED","object":{…}}</c>) and flushes each one. In Table
/// mode every object becomes a one-row Table, with column definitions only in the first; bookmarks become row-less
/// Tables carrying the resourceVersion; ERROR events keep their Status. Single writer; not thread-safe.
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
            Transform(e).WriteTo(writer);
            writer.WriteEndObject();
        }
        body.Write(Newline);
        await body.FlushAsync(request.Aborted).ConfigureAwait(false);
    }

    private JsonObject Transform(ApiWatchEvent e)
    {
        if (!format.IsTable || e.Type == ApiWatchEventType.Error)
        {
            return e.Object;
        }
        var kind = request.Info.Kind;
        var rv = e.Object.GetResourceVersion();
        var now = request.Time.GetUtcNow();
        if (e.Type == ApiWatchEventType.Bookmark)
        {
            return TableOutput.Build(kind, [], rv, null, format, now, includeColumnDefinitions: false);
        }
        var table = TableOutput.Build(kind, [e.Object], rv, null, format, now, includeColumnDefinitions: !_columnsSent);
        _columnsSent = true;
        return table;
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

using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// Writes API responses as <c>application/json</c>: objects, stored bytes as they are, and lists whose items are
/// spliced in from storage without re-parsing (<see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>).
/// </summary>
internal static class ResponseWriter
{
    /// <summary>Bytes a list writer buffers before it flushes them to the client.</summary>
    internal const int FlushThreshold = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static async Task WriteObjectAsync(HttpContext context, int statusCode, JsonObject obj, IReadOnlyList<string>? warnings = null)
    {
        Begin(context, statusCode, warnings);
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            obj.WriteTo(writer);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteRawAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> json)
    {
        Begin(context, statusCode, null);
        context.Response.ContentLength = json.Length;
        await context.Response.BodyWriter.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A <c>{Kind}List</c> with stored items spliced in verbatim, streamed: the body is flushed every
    /// <see cref="FlushThreshold"/> bytes, so a large list is never held whole in memory.
    /// </summary>
    public static async Task WriteRawListAsync(HttpContext context, ResourceKind kind, RawList list)
    {
        Begin(context, StatusCodes.Status200OK, null);
        var body = context.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind.ListKind);
            writer.WriteString("apiVersion", kind.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", list.ResourceVersion);
            if (list.Continue is not null)
            {
                writer.WriteString("continue", list.Continue);
            }
            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in list.Items)
            {
                writer.WriteRawValue(item.Span, skipInputValidation: true);
                await FlushIfFullAsync(context, writer).ConfigureAwait(false);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A Table of stored items, one row per item, streamed like <see cref="WriteRawListAsync"/>.
    /// <paramref name="tableApiVersion"/> is the negotiated <c>meta.k8s.io/v1</c> or <c>v1beta1</c>.
    /// </summary>
    public static async Task WriteTableListAsync(HttpContext context, ResourceKind kind, RawList list, string tableApiVersion,
        IncludeObjectPolicy include, DateTimeOffset now)
    {
        Begin(context, StatusCodes.Status200OK, null);
        var body = context.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            var table = new TableStreamWriter(writer, kind, include, now);
            table.WriteStart(tableApiVersion, list.ResourceVersion, list.Continue, includeColumnDefinitions: true);
            foreach (var item in list.Items)
            {
                table.WriteRow(item);
                await FlushIfFullAsync(context, writer).ConfigureAwait(false);
            }
            table.WriteEnd();
        }
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A <c>{Kind}List</c> of parsed items (deletecollection).</summary>
    public static Task WriteListAsync(HttpContext context, ResourceKind kind, ApiList list)
    {
        var meta = new JsonObject { ["resourceVersion"] = list.ResourceVersion };
        if (list.Continue is not null)
        {
            meta["continue"] = list.Continue;
        }
        var obj = new JsonObject
        {
            ["kind"] = kind.ListKind, ["apiVersion"] = kind.ApiVersion, ["metadata"] = meta,
            ["items"] = new JsonArray(list.Items.Select(i => (JsonNode?)i).ToArray()),
        };
        return WriteObjectAsync(context, StatusCodes.Status200OK, obj);
    }

    /// <summary>Hands the writer's pending bytes to the response once they reach <see cref="FlushThreshold"/>.</summary>
    private static async ValueTask FlushIfFullAsync(HttpContext context, Utf8JsonWriter writer)
    {
        if (writer.BytesPending < FlushThreshold)
        {
            return;
        }
        writer.Flush();
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void Begin(HttpContext context, int statusCode, IReadOnlyList<string>? warnings)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        WarningHeaders.Add(response, warnings);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>A <c>{Kind}List</c> with stored items spliced in verbatim.</summary>
    public static async Task WriteRawListAsync(HttpContext context, ResourceKind kind, RawList list)
    {
        Begin(context, StatusCodes.Status200OK, null);
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
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
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
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

    private static void Begin(HttpContext context, int statusCode, IReadOnlyList<string>? warnings)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        WarningHeaders.Add(response, warnings);
    }
}

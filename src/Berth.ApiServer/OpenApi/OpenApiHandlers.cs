using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Serves <c>/openapi/v3</c> and its per group-version documents, and <c>/openapi/v2</c>. A request whose <c>hash</c> matches gets
/// <c>Cache-Control: public, immutable</c>; a stale hash is redirected (301) to the current one, as kube-openapi does;
/// no hash means a revalidating, private reply. Stateless.
/// </summary>
internal static class OpenApiHandlers
{
    public static Task Root(HttpContext context, OpenApiV3Catalog catalog) =>
        WriteAsync(context, catalog.Root, "no-cache, private");

    public static Task GroupVersion(HttpContext context, OpenApiV3Catalog catalog, TimeProvider time, string relativePath)
    {
        if (!catalog.TryGet(relativePath, out var body, out var hash))
        {
            return StatusWriter.WriteAsync(context, ApiErrors.NotFoundPath());
        }
        var requested = context.Request.Query["hash"].ToString();
        if (requested.Length == 0)
        {
            context.Response.Headers.ETag = $"\"{hash}\"";
            return WriteAsync(context, body, "no-cache, private");
        }
        if (!string.Equals(requested, hash, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect($"/openapi/v3/{relativePath}?hash={hash}", permanent: true);
            return Task.CompletedTask;
        }
        context.Response.Headers.ETag = $"\"{hash}\"";
        context.Response.Headers.Expires = time.GetUtcNow().AddYears(1).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(context, body, "public, immutable");
    }

    /// <summary>
    /// <c>/openapi/v2</c>: protobuf when <c>Accept</c> names one of its two media types, JSON when it is absent or
    /// accepts JSON, otherwise 406.
    /// </summary>
    public static Task V2(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Contains(OpenApiV2Document.ProtobufAcceptType, StringComparison.OrdinalIgnoreCase)
            || accept.Contains(OpenApiV2Document.ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return WriteAsync(context, OpenApiV2Document.Protobuf, "no-cache, private", OpenApiV2Document.ProtobufContentType);
        }
        if (accept.Length == 0 || accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            || accept.Contains("*/*", StringComparison.Ordinal))
        {
            return WriteAsync(context, OpenApiV2Document.Json, "no-cache, private");
        }
        return StatusWriter.WriteAsync(context, ApiErrors.NotAcceptable(
            $"only the following media types are accepted: application/json, {OpenApiV2Document.ProtobufContentType}"));
    }

    private static async Task WriteAsync(HttpContext context, byte[] body, string cacheControl, string contentType = "application/json")
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = cacheControl;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}

using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Serves <c>/openapi/v3</c> and its per group-version documents. A request whose <c>hash</c> matches gets
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

    private static async Task WriteAsync(HttpContext context, byte[] body, string cacheControl)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers.CacheControl = cacheControl;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}

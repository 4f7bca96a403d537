using System.Text.Json;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>Writes an <see cref="ApiException"/> as a Kubernetes <c>Status</c> body with the matching HTTP code.</summary>
public static class StatusWriter
{
    public static async Task WriteAsync(HttpContext context, ApiException error)
    {
        var response = context.Response;
        response.StatusCode = error.Code;
        response.ContentType = "application/json";
        if (error.Headers is not null)
        {
            foreach (var (k, v) in error.Headers)
            {
                response.Headers[k] = v;
            }
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(StatusJson.FromException(error));
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}

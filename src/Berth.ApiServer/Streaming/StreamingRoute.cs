using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Streaming;

/// <summary>Route values and error replies shared by the streaming endpoints.</summary>
internal static class StreamingRoute
{
    public static (string Namespace, string Name) PodOf(HttpContext context) =>
        ((string)context.Request.RouteValues["namespace"]!, (string)context.Request.RouteValues["name"]!);

    /// <summary>
    /// Replies with the Status of <paramref name="error"/> while nothing has been sent; once the body has started (a
    /// log stream that failed midway) the connection is aborted instead, so the client sees a truncated transfer.
    /// </summary>
    public static Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        context.Response.Clear();
        return StatusWriter.WriteAsync(context, error);
    }
}

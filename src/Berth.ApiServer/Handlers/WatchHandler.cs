using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// WATCH (<c>?watch=true</c>): a chunked 200 response with one JSON event per line, flushed at once, until the client
/// goes away, <c>timeoutSeconds</c> passes, or the registry ends the stream. A too-old resourceVersion (410) becomes
/// an ERROR event on a 200 stream, as the apiserver's cacher does; other errors before the first event are plain
/// Status responses. Mirrors k8s.io/apiserver pkg/endpoints/handlers/watch.go (WatchServer.HandleHTTP).
/// </summary>
internal static class WatchHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var options = QueryParameters.List(r.Request);
        var format = r.Format;
        IAsyncEnumerable<ApiWatchEvent> stream;
        try
        {
            stream = await r.Api.OpenWatchAsync(r.Info.Kind, r.Info.Namespace, options, r.Aborted).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == StatusCodes.Status410Gone)
        {
            var writer = await StartAsync(r, format).ConfigureAwait(false);
            await writer.WriteAsync(new ApiWatchEvent(ApiWatchEventType.Error, StatusJson.FromException(e))).ConfigureAwait(false);
            return;
        }
        var events = stream.GetAsyncEnumerator(r.Aborted);
        await using (events.ConfigureAwait(false))
        {
            var writer = await StartAsync(r, format).ConfigureAwait(false);
            while (await NextOrErrorAsync(events, writer).ConfigureAwait(false))
            {
                await writer.WriteAsync(events.Current).ConfigureAwait(false);
            }
        }
    }

    /// <summary>An error after the stream started can only be reported as an ERROR event.</summary>
    private static async Task<bool> NextOrErrorAsync(IAsyncEnumerator<ApiWatchEvent> events, WatchEventWriter writer)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await writer.WriteAsync(new ApiWatchEvent(ApiWatchEventType.Error, StatusJson.FromException(e))).ConfigureAwait(false);
            return false;
        }
    }

    private static async Task<WatchEventWriter> StartAsync(ResourceRequest r, OutputFormat format)
    {
        var response = r.Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        r.Context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(r.Aborted).ConfigureAwait(false);
        await response.Body.FlushAsync(r.Aborted).ConfigureAwait(false);
        return new WatchEventWriter(r, format);
    }
}

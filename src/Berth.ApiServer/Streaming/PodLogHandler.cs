using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// <c>GET /api/v1/namespaces/{namespace}/pods/{name}/log</c>: loads the pod, validates the options, and streams the
/// container log from the node agent as <c>text/plain</c> (chunked and flushed per batch with <c>follow=true</c>).
/// A pod not bound to a node yet has no log: the reply is an empty 200, as upstream's empty location gives.
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/log.go (LogREST.Get).
/// </summary>
/// <remarks>Singleton; thread-safe. The backend is resolved per request, so it may be registered after mapping.</remarks>
internal sealed partial class PodLogHandler(IServiceProvider services, ILogger<PodLogHandler> logger)
{
    private readonly IApiClient _api = services.GetRequiredService<IApiClient>();
    private readonly TimeProvider _time = services.GetRequiredService<TimeProvider>();

    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        try
        {
            var (ns, name) = StreamingRoute.PodOf(context);
            var pod = await PodLookup.GetAsync(_api, ns, name, aborted).ConfigureAwait(false);
            var options = LogOptionsParser.Parse(context.Request.Query, pod, _time);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain";
            if (string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                return;
            }
            var backend = services.GetService<IPodStreamingBackend>() ?? throw StreamingErrors.NodeAgentUnavailable(pod.Spec.NodeName);
            await backend.StreamLogsAsync(pod, options, context.Response.Body, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (aborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client stopped reading (kubectl logs -f interrupted): nothing to answer.
        }
        catch (ApiException e)
        {
            await StreamingRoute.WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.LogStreamFailed(logger, e, context.Request.Path.Value ?? "");
            await StreamingRoute.WriteErrorAsync(context, ApiErrors.Internal("Internal error occurred: " + e.Message)).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, EventName = "PodLogStreamFailed", Level = LogLevel.Error,
            Message = "Streaming the log for {Path} failed")]
        public static partial void LogStreamFailed(ILogger logger, Exception exception, string path);
    }
}

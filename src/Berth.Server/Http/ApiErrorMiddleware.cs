using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Http;

/// <summary>
/// The outermost middleware: turns an <see cref="ApiException"/> escaping any handler into its Status reply, a bad
/// request that Kestrel detected into 400/413, and anything else into a logged 500 InternalError Status. A request
/// the client aborted is left alone. If the response has already started, the connection is aborted instead.
/// </summary>
/// <remarks>Mirrors the panic recovery and error responders of k8s.io/apiserver pkg/endpoints/handlers/responsewriters.</remarks>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(logger, context.Request.Method, context.Request.Path.Value ?? "");
        }
        catch (ApiException error)
        {
            await WriteOrAbortAsync(context, error).ConfigureAwait(false);
        }
        catch (BadHttpRequestException error)
        {
            var status = error.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiErrors.RequestEntityTooLarge(error.Message)
                : ApiErrors.BadRequest(error.Message);
            await WriteOrAbortAsync(context, status).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Log.UnhandledError(logger, context.Request.Method, context.Request.Path.Value ?? "", error);
            await WriteOrAbortAsync(context, ApiErrors.Internal("an error on the server has prevented the request from succeeding"))
                .ConfigureAwait(false);
        }
    }

    private static Task WriteOrAbortAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        context.Response.Clear();
        return StatusWriter.WriteAsync(context, error);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2006, EventName = "UnhandledRequestError", Level = LogLevel.Error,
            Message = "Unhandled error serving {Method} {Path}")]
        public static partial void UnhandledError(ILogger logger, string method, string path, Exception error);

        [LoggerMessage(EventId = 2007, EventName = "RequestAborted", Level = LogLevel.Debug,
            Message = "Client aborted {Method} {Path}")]
        public static partial void RequestAborted(ILogger logger, string method, string path);
    }
}

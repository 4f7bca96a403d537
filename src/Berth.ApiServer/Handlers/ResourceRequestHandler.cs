using System.Text.Json;
using Berth.ApiServer.Http;
using Berth.ApiServer.Routing;
using Berth.Machinery.Errors;
using Berth.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// The entry point of every <c>/api/v1/…</c> and <c>/apis/{group}/{version}/…</c> resource request: parses the URL,
/// picks the verb handler, and turns every failure into a <c>Status</c>: <see cref="ApiException"/> as it is,
/// malformed input (JSON, formats) as 400, anything else as a logged 500 (a bug, never bad input).
/// Mirrors k8s.io/apiserver pkg/endpoints/installer.go (route registration) and handlers/responsewriters/errors.go.
/// </summary>
/// <remarks>Singleton; thread-safe (all per-request state lives in <see cref="ResourceRequest"/>).</remarks>
internal sealed partial class ResourceRequestHandler(IRestStorage api, TimeProvider time, ILogger<ResourceRequestHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var info = RequestInfo.Parse(context.Request.Path.Value ?? "") ?? throw ApiErrors.NotFoundPath();
            await DispatchAsync(new ResourceRequest(context, info, api, time)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (typically a watch being closed); nothing to answer.
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException { Source: "System.Text.Json" })
        {
            await WriteErrorAsync(context, ApiErrors.BadRequest(e.Message)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.UnhandledError(logger, e, context.Request.Method, context.Request.Path.Value ?? "");
            await WriteErrorAsync(context, ApiErrors.Internal("Internal error occurred: " + e.Message)).ConfigureAwait(false);
        }
    }

    private static Task DispatchAsync(ResourceRequest r)
    {
        var (collection, subresource) = (r.Info.IsCollection, r.Info.Subresource);
        return (r.Request.Method, collection, subresource) switch
        {
            ("GET", true, _) when QueryParameters.IsWatch(r.Request) => WatchHandler.HandleAsync(r),
            ("GET", true, _) => ListHandler.HandleAsync(r),
            ("GET", false, null or "status" or "scale" or "ephemeralcontainers") => GetHandler.HandleAsync(r),
            ("POST", true, _) => CreateHandler.HandleAsync(r),
            ("POST", false, "binding" or "eviction" or "token") => CreateHandler.HandleAsync(r),
            ("PUT", false, null or "status" or "scale" or "finalize" or "ephemeralcontainers") => UpdateHandler.HandleAsync(r),
            ("PATCH", false, null or "status" or "scale" or "finalize" or "ephemeralcontainers") => PatchHandler.HandleAsync(r),
            ("DELETE", false, null) => DeleteHandler.HandleAsync(r),
            ("DELETE", true, _) when r.Info.Kind.Verbs.Contains("deletecollection") => DeleteHandler.HandleCollectionAsync(r),
            _ => throw ApiErrors.MethodNotSupported(Resource(r.Info), Verb(r.Request.Method, collection)),
        };
    }

    private static string Resource(RequestInfo info) =>
        info.Subresource is null ? info.Kind.GroupResource : $"{info.Kind.GroupResource}/{info.Subresource}";

    private static string Verb(string method, bool collection) => method switch
    {
        "GET" => collection ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => collection ? "deletecollection" : "delete",
        _ => method.ToLowerInvariant(),
    };

    private async Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            Log.ErrorAfterResponseStarted(logger, error.Code, error.Message);
            return;
        }
        context.Response.Clear();
        await StatusWriter.WriteAsync(context, error).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2105, Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
        public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

        [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Error {Code} after the response started: {Message}")]
        public static partial void ErrorAfterResponseStarted(ILogger logger, int code, string message);
    }
}

using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Rejects every request outside <see cref="AnonymousPaths"/> that lacks the bearer token with 401 and an
/// <c>Unauthorized</c> Status body, before routing reaches any handler. Runs once per request; stateless apart from
/// the immutable validator. Never logs the presented header.
/// </summary>
public sealed partial class BearerTokenAuthenticationMiddleware(
    RequestDelegate next, BearerTokenValidator validator, ILogger<BearerTokenAuthenticationMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (AnonymousPaths.IsAnonymous(context.Request.Path.Value))
        {
            return next(context);
        }
        var headers = context.Request.Headers.Authorization;
        if (headers.Count == 1 && validator.IsValid(headers[0]))
        {
            return next(context);
        }
        Log.Rejected(logger, context.Request.Method, context.Request.Path.Value ?? "");
        return StatusWriter.WriteAsync(context, ApiErrors.Unauthorized());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, EventName = "UnauthenticatedRequest", Level = LogLevel.Debug,
            Message = "Rejected unauthenticated request {Method} {Path}")]
        public static partial void Rejected(ILogger logger, string method, string path);
    }
}

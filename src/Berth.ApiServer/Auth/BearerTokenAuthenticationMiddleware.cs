using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Registry.Core.ServiceAccounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Rejects every request outside <see cref="AnonymousPaths"/> that lacks the bearer token with 401 and an
/// <c>Unauthorized</c> Status body, before routing reaches any handler. Runs once per request; stateless apart from
/// the immutable validator. Never logs the presented header. When a <see cref="ServiceAccountTokenAuthenticator"/> is
/// registered (the API server; not the agent's kubelet endpoint), a token that is not the administrator's may be a
/// ServiceAccount token: its user is attached to the request (<see cref="AuthenticatedUser"/>).
/// </summary>
public sealed partial class BearerTokenAuthenticationMiddleware(
    RequestDelegate next, BearerTokenValidator validator, ILogger<BearerTokenAuthenticationMiddleware> logger,
    ServiceAccountTokenAuthenticator? serviceAccounts = null)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (AnonymousPaths.IsAnonymous(context.Request.Path.Value))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var headers = context.Request.Headers.Authorization;
        if (headers.Count == 1 && validator.IsValid(headers[0]))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (headers.Count == 1 && serviceAccounts is not null && BearerTokenValidator.TokenOf(headers[0]) is { } token
            && await serviceAccounts.AuthenticateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } claims)
        {
            AuthenticatedUser.From(claims).AttachTo(context);
            await next(context).ConfigureAwait(false);
            return;
        }
        Log.Rejected(logger, context.Request.Method, context.Request.Path.Value ?? "");
        await StatusWriter.WriteAsync(context, ApiErrors.Unauthorized()).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, EventName = "UnauthenticatedRequest", Level = LogLevel.Debug,
            Message = "Rejected unauthenticated request {Method} {Path}")]
        public static partial void Rejected(ILogger logger, string method, string path);
    }
}

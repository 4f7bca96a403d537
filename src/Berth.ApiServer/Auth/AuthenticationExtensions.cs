using Microsoft.AspNetCore.Builder;

namespace Berth.ApiServer.Auth;

public static class AuthenticationExtensions
{
    /// <summary>Adds <see cref="BearerTokenAuthenticationMiddleware"/> accepting only <paramref name="token"/>. Call before any endpoint mapping takes effect.</summary>
    public static IApplicationBuilder UseBearerTokenAuthentication(this IApplicationBuilder app, string token) =>
        app.UseMiddleware<BearerTokenAuthenticationMiddleware>(new BearerTokenValidator(token));
}

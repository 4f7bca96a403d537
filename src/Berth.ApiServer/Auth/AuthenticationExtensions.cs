using Berth.Registry.Rbac;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.ApiServer.Auth;

public static class AuthenticationExtensions
{
    /// <summary>Adds <see cref="BearerTokenAuthenticationMiddleware"/> accepting only <paramref name="token"/>. Call before any endpoint mapping takes effect.</summary>
    public static IApplicationBuilder UseBearerTokenAuthentication(this IApplicationBuilder app, string token) =>
        app.UseMiddleware<BearerTokenAuthenticationMiddleware>(new BearerTokenValidator(token));

    /// <summary>
    /// Registers the <see cref="RbacPolicyHolder"/> (fed by the RBAC policy controller) and the <see cref="RbacAuthorizer"/>
    /// over it.
    /// </summary>
    public static IServiceCollection AddRbacAuthorization(this IServiceCollection services)
    {
        services.TryAddSingleton<RbacPolicyHolder>();
        services.TryAddSingleton<RbacAuthorizer>();
        return services;
    }

    /// <summary>Adds <see cref="ImpersonationMiddleware"/> then <see cref="AuthorizationMiddleware"/>; call right after authentication.</summary>
    public static IApplicationBuilder UseRbacAuthorization(this IApplicationBuilder app) =>
        app.UseMiddleware<ImpersonationMiddleware>().UseMiddleware<AuthorizationMiddleware>();
}

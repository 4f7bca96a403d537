using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.ApiServer.Health;

/// <summary>
/// <c>/healthz</c> and <c>/livez</c> answer <c>ok</c> while the process serves; <c>/readyz</c> answers <c>ok</c> only
/// when every <see cref="ServerReadiness"/> gate passes, else 503 with the failing checks listed. <c>?verbose</c>
/// lists the checks on success too. These paths need no token (see <c>BearerTokenAuthenticationMiddleware</c>).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go output format.</remarks>
public static class HealthEndpoints
{
    public static IServiceCollection AddServerReadiness(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerReadiness>();
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (HttpContext c) => WriteAsync(c, "healthz", [("ping", true)]));
        endpoints.MapGet("/livez", (HttpContext c) => WriteAsync(c, "livez", [("ping", true)]));
        // A plain RequestDelegate, for the reason given on DiscoveryEndpoints.MapDiscovery.
        var readiness = endpoints.ServiceProvider.GetRequiredService<ServerReadiness>();
        endpoints.MapGet("/readyz", c => WriteAsync(c, "readyz", readiness.Checks()));
        return endpoints;
    }

    internal static Task WriteAsync(HttpContext context, string endpoint, IReadOnlyList<(string Name, bool Passed)> checks)
    {
        var passed = checks.All(c => c.Passed);
        var verbose = context.Request.Query.ContainsKey("verbose");
        var response = context.Response;
        response.StatusCode = passed ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-cache, private";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (passed && !verbose)
        {
            return response.WriteAsync("ok", context.RequestAborted);
        }
        var body = new StringBuilder();
        foreach (var (name, ok) in checks)
        {
            body.Append(ok ? $"[+]{name} ok\n" : $"[-]{name} failed: reason withheld\n");
        }
        body.Append(passed ? $"{endpoint} check passed\n" : $"{endpoint} check failed\n");
        return response.WriteAsync(body.ToString(), context.RequestAborted);
    }
}

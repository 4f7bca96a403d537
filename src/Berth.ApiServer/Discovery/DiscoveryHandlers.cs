using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// Request handlers for <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c> and the per group-version
/// resource lists. Each writes a complete response; unknown groups and versions get a 404 Status. Stateless.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/discovery.</remarks>
internal static class DiscoveryHandlers
{
    public static Task Version(HttpContext context) =>
        WriteJsonAsync(context, DiscoveryDocuments.Utf8(ServerVersion.Current), "application/json");

    /// <summary><c>/api</c>: aggregated list of the core group, or <c>APIVersions</c>.</summary>
    public static Task LegacyGroup(HttpContext context, DiscoveryDocuments documents)
    {
        var format = DiscoveryNegotiation.Negotiate(context.Request.Headers.Accept.ToString());
        return format switch
        {
            DiscoveryFormat.NotAcceptable => StatusWriter.WriteAsync(context, NotAcceptable()),
            DiscoveryFormat.Legacy => WriteJsonAsync(context,
                DiscoveryDocuments.Utf8(LegacyDiscovery.ApiVersions(documents.Kinds, ServerAddress(context))), "application/json"),
            _ => WriteJsonAsync(context, documents.LegacyGroup(format), DiscoveryNegotiation.ContentType(format)),
        };
    }

    /// <summary><c>/apis</c>: aggregated list of the named groups, or <c>APIGroupList</c>. Never 404 (kubectl treats that as fatal).</summary>
    public static Task NamedGroups(HttpContext context, DiscoveryDocuments documents)
    {
        var format = DiscoveryNegotiation.Negotiate(context.Request.Headers.Accept.ToString());
        return format == DiscoveryFormat.NotAcceptable
            ? StatusWriter.WriteAsync(context, NotAcceptable())
            : WriteJsonAsync(context, documents.NamedGroups(format), DiscoveryNegotiation.ContentType(format));
    }

    public static Task Group(HttpContext context, DiscoveryDocuments documents, string group)
    {
        var body = LegacyDiscovery.Group(documents.Kinds, group);
        return body is null
            ? StatusWriter.WriteAsync(context, ApiErrors.NotFoundPath())
            : WriteJsonAsync(context, DiscoveryDocuments.Utf8(body), "application/json");
    }

    /// <summary><c>/api/{version}</c> (group "") and <c>/apis/{group}/{version}</c>.</summary>
    public static Task ResourceList(HttpContext context, DiscoveryDocuments documents, string group, string version)
    {
        var body = LegacyDiscovery.ResourceList(documents.Kinds, group, version);
        return body is null
            ? StatusWriter.WriteAsync(context, ApiErrors.NotFoundPath())
            : WriteJsonAsync(context, DiscoveryDocuments.Utf8(body), "application/json");
    }

    private static ApiException NotAcceptable() => ApiErrors.NotAcceptable(
        "only the following media types are accepted: application/json, "
        + DiscoveryNegotiation.ContentType(DiscoveryFormat.AggregatedV2) + ", "
        + DiscoveryNegotiation.ContentType(DiscoveryFormat.AggregatedV2Beta1));

    private static string ServerAddress(HttpContext context)
    {
        var connection = context.Connection;
        return connection.LocalIpAddress is null
            ? context.Request.Host.Value ?? ""
            : $"{connection.LocalIpAddress}:{connection.LocalPort}";
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body, string contentType)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.Vary = "Accept";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// Maps the pod streaming subresources: <c>pods/log</c> (GET), <c>pods/exec</c> and <c>pods/attach</c> (GET for
/// WebSocket, POST for the SPDY fallback) and <c>pods/portforward</c> (GET for the WebSocket tunnel, POST for raw SPDY). The templates are literal down to the subresource, so they outrank the resource API's catch-all
/// routes; the host's global middleware (errors, bearer-token authentication) applies to them like to every endpoint.
/// Needs <c>IApiClient</c> and <c>TimeProvider</c>; an <see cref="IPodStreamingBackend"/> is looked up per request
/// (without one, requests for bound pods answer 503).
/// </summary>
public static class PodStreamingEndpoints
{
    public const string LogRoute = "/api/v1/namespaces/{namespace}/pods/{name}/log";

    public const string ExecRoute = "/api/v1/namespaces/{namespace}/pods/{name}/exec";

    public const string AttachRoute = "/api/v1/namespaces/{namespace}/pods/{name}/attach";

    public const string PortForwardRoute = "/api/v1/namespaces/{namespace}/pods/{name}/portforward";

    public static IEndpointRouteBuilder MapPodStreaming(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var logs = new PodLogHandler(services, loggers.CreateLogger<PodLogHandler>());
        var exec = new PodExecHandler(services, loggers.CreateLogger<PodExecHandler>());
        endpoints.MapGet(LogRoute, (RequestDelegate)logs.HandleAsync);
        endpoints.MapMethods(ExecRoute, ["GET", "POST"], (RequestDelegate)exec.HandleAsync);
        var attach = new PodAttachHandler(services, loggers.CreateLogger<PodAttachHandler>());
        endpoints.MapMethods(AttachRoute, ["GET", "POST"], (RequestDelegate)attach.HandleAsync);
        var portForward = new PortForward.PodPortForwardHandler(services, loggers.CreateLogger<PortForward.PodPortForwardHandler>());
        endpoints.MapMethods(PortForwardRoute, ["GET", "POST"], (RequestDelegate)portForward.HandleAsync);
        return endpoints;
    }
}

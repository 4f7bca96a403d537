using System.Text.Json.Nodes;
using Berth.ApiServer.Handlers;
using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// Serves <c>metrics.k8s.io/v1beta1</c> nodes and pods (get and list, with label and field selectors, JSON or Table)
/// from the registered <see cref="IResourceMetricsProvider"/>; with none registered every list is empty. Other verbs,
/// including watch, are 405 as upstream. Literal routes, so they win over the generic resource routes.
/// </summary>
/// <remarks>Mirrors kubernetes-sigs/metrics-server pkg/api (pod.go, node.go: Get, List, ConvertToTable). Stateless.</remarks>
public static class MetricsEndpoints
{
    private const string Root = "/apis/" + MetricsKinds.ApiVersion + "/";
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static IEndpointRouteBuilder MapResourceMetrics(this IEndpointRouteBuilder endpoints)
    {
        var provider = endpoints.ServiceProvider.GetService<IResourceMetricsProvider>();
        var api = endpoints.ServiceProvider.GetRequiredService<IApiClient>();
        var time = endpoints.ServiceProvider.GetRequiredService<TimeProvider>();
        var pods = new PodMetricsReader(provider);
        var nodes = new NodeMetricsReader(provider, api);
        Map(endpoints, Root + "nodes", MetricsKinds.NodeMetrics, time, (c, now) => nodes.ListAsync(Selectors(c), now, c.RequestAborted));
        Map(endpoints, Root + "nodes/{name}", MetricsKinds.NodeMetrics, time, (c, now) => nodes.GetAsync(Name(c), now, c.RequestAborted));
        Map(endpoints, Root + "pods", MetricsKinds.PodMetrics, time, (c, now) => pods.ListAsync(null, Selectors(c), now, c.RequestAborted));
        Map(endpoints, Root + "namespaces/{namespace}/pods", MetricsKinds.PodMetrics, time,
            (c, now) => pods.ListAsync(Namespace(c), Selectors(c), now, c.RequestAborted));
        Map(endpoints, Root + "namespaces/{namespace}/pods/{name}", MetricsKinds.PodMetrics, time,
            (c, now) => pods.GetAsync(Namespace(c), Name(c), now, c.RequestAborted));
        return endpoints;
    }

    // read returns one object or a list (its "items"); a GET of one object has a {name} route value.
    private static void Map(IEndpointRouteBuilder endpoints, string pattern, ResourceKind kind, TimeProvider time,
        Func<HttpContext, DateTimeOffset, Task<JsonObject>> read)
    {
        endpoints.MapMethods(pattern, Methods, async context =>
        {
            var single = context.Request.RouteValues.ContainsKey("name");
            if (!HttpMethods.IsGet(context.Request.Method) || IsWatch(context.Request))
            {
                throw ApiErrors.MethodNotSupported(kind.GroupResource, Verb(context.Request, single));
            }
            var format = ContentNegotiation.Negotiate(context.Request);
            var now = time.GetUtcNow();
            var body = await read(context, now).ConfigureAwait(false);
            if (format.IsTable)
            {
                IReadOnlyList<JsonObject> items = single ? [body] : [.. body["items"]!.AsArray().Select(i => i!.AsObject())];
                body = TableOutput.Build(kind, items, null, null, format, now, includeColumnDefinitions: true);
            }
            await ResponseWriter.WriteObjectAsync(context, StatusCodes.Status200OK, body).ConfigureAwait(false);
        });
    }

    private static (LabelSelector Labels, FieldSelector Fields) Selectors(HttpContext context) =>
        (LabelSelector.Parse(context.Request.Query["labelSelector"]), FieldSelector.Parse(context.Request.Query["fieldSelector"]));

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    private static string Namespace(HttpContext context) => (string)context.Request.RouteValues["namespace"]!;

    private static bool IsWatch(HttpRequest request) =>
        request.Query["watch"] is { Count: > 0 } watch && (watch[0] is "true" or "1");

    private static string Verb(HttpRequest request, bool single) => request.Method switch
    {
        "GET" => "watch",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        _ => single ? "delete" : "deletecollection",
    };
}

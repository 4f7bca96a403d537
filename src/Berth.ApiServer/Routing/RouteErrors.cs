using Berth.Machinery.Errors;

namespace Berth.ApiServer.Routing;

/// <summary>Errors of the routing layer itself.</summary>
internal static class RouteErrors
{
    /// <summary>
    /// A path that is not a served resource or subresource: upstream's generic 404 text
    /// (k8s.io/apiserver pkg/endpoints/handlers/responsewriters, NotFound with an empty name).
    /// </summary>
    public static ApiException NotFound() =>
        new(404, StatusReason.NotFound, "the server could not find the requested resource", new k8s.Models.V1StatusDetails());
}

using Berth.ApiServer.Http;
using Berth.ApiServer.Tables;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// GET of one object (stored bytes as they are, or a one-row Table) and of the <c>status</c>/<c>scale</c>/<c>ephemeralcontainers</c> subresources.
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/get.go (GetResource).
/// </summary>
internal static class GetHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var (kind, ns, name) = (r.Info.Kind, r.Info.Namespace, r.Info.Name!);
        if (r.Info.Subresource is { } subresource)
        {
            var sub = await r.Api.GetSubresourceAsync(kind, ns, name, subresource, r.Aborted).ConfigureAwait(false);
            await ResponseWriter.WriteObjectAsync(r.Context, StatusCodes.Status200OK, sub).ConfigureAwait(false);
            return;
        }
        var format = r.Format;
        if (!format.IsTable)
        {
            var raw = await r.Api.GetRawAsync(kind, ns, name, r.Aborted).ConfigureAwait(false);
            await ResponseWriter.WriteRawAsync(r.Context, StatusCodes.Status200OK, raw).ConfigureAwait(false);
            return;
        }
        var obj = await r.Api.GetAsync(kind, ns, name, r.Aborted).ConfigureAwait(false);
        var rv = Machinery.Serialization.JsonObjectExtensions.GetResourceVersion(obj);
        var table = TableOutput.Build(kind, [obj], rv, null, format, r.Time.GetUtcNow(), includeColumnDefinitions: true);
        await ResponseWriter.WriteObjectAsync(r.Context, StatusCodes.Status200OK, table).ConfigureAwait(false);
    }
}

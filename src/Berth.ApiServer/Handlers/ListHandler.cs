using Berth.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// LIST: a <c>{Kind}List</c> with stored items spliced in, or a Table. Selectors, limit and continue come from the query.
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/get.go (ListResource, non-watch half).
/// </summary>
internal static class ListHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var options = QueryParameters.List(r.Request);
        var format = r.Format;
        if (!format.IsTable)
        {
            var raw = await r.Api.ListRawAsync(r.Info.Kind, r.Info.Namespace, options, r.Aborted).ConfigureAwait(false);
            await ResponseWriter.WriteRawListAsync(r.Context, r.Info.Kind, raw).ConfigureAwait(false);
            return;
        }
        var list = await r.Api.ListAsync(r.Info.Kind, r.Info.Namespace, options, r.Aborted).ConfigureAwait(false);
        var table = TableOutput.Build(r.Info.Kind, list.Items, list.ResourceVersion, list.Continue, format, r.Time.GetUtcNow(), includeColumnDefinitions: true);
        await ResponseWriter.WriteObjectAsync(r.Context, StatusCodes.Status200OK, table).ConfigureAwait(false);
    }
}

using Berth.ApiServer.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// LIST: a <c>{Kind}List</c> with stored items spliced in, or a Table, both streamed from the stored bytes. Selectors, limit and continue come from the query.
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/get.go (ListResource, non-watch half).
/// </summary>
internal static class ListHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var options = QueryParameters.List(r.Request);
        var format = r.Format;
        var raw = await r.Api.ListRawAsync(r.Info.Kind, r.Info.Namespace, options, r.Aborted).ConfigureAwait(false);
        if (format.TableApiVersion is { } tableApiVersion)
        {
            await ResponseWriter.WriteTableListAsync(r.Context, r.Info.Kind, raw, tableApiVersion, format.IncludeObject, r.Time.GetUtcNow())
                .ConfigureAwait(false);
            return;
        }
        await ResponseWriter.WriteRawListAsync(r.Context, r.Info.Kind, raw).ConfigureAwait(false);
    }
}

using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// POST to a collection (201 with the stored object) and to <c>pods/{name}/binding|eviction</c> (201 with a Status).
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/create.go (createHandler).
/// </summary>
internal static class CreateHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var (kind, ns) = (r.Info.Kind, r.Info.Namespace);
        if (kind.Namespaced && ns is null)
        {
            throw ApiErrors.MethodNotSupported(kind.GroupResource, "create");
        }
        var written = r.WriteOptions();
        FieldManagerValidation.Validate(written.FieldManager, FieldManagerValidation.CreateOptions);
        var options = FieldManagerDefaults.OrUserAgent(written, r.Request);
        var body = await RequestDecoder.ReadObjectAsync(r.Request, kind, options.FieldValidation, r.Aborted).ConfigureAwait(false);
        var result = r.Info.Subresource is { } subresource
            ? await r.Api.CreateSubresourceAsync(kind, ns, r.Info.Name!, subresource, body.Object, options, r.Aborted).ConfigureAwait(false)
            : await r.Api.CreateResourceAsync(kind, ns, body.Object, options, r.Aborted).ConfigureAwait(false);
        await ResponseWriter.WriteObjectAsync(r.Context, StatusCodes.Status201Created, result.Object, [.. body.Warnings, .. result.Warnings])
            .ConfigureAwait(false);
    }
}

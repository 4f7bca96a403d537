using Berth.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// PUT of an object or of its <c>status</c>, <c>scale</c>, <c>finalize</c> or <c>ephemeralcontainers</c> subresource: 200, or 201 when the kind
/// allows create-on-update and the object did not exist. Mirrors k8s.io/apiserver pkg/endpoints/handlers/update.go.
/// </summary>
internal static class UpdateHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var written = r.WriteOptions();
        FieldManagerValidation.Validate(written.FieldManager, FieldManagerValidation.UpdateOptions);
        var options = FieldManagerDefaults.OrUserAgent(written, r.Request);
        var body = await RequestDecoder.ReadObjectAsync(r.Request, r.Info.Kind, options.FieldValidation, r.Aborted).ConfigureAwait(false);
        var result = await r.Api.UpdateResourceAsync(r.Info.Kind, r.Info.Namespace, r.Info.Name!, body.Object, r.Info.Subresource, options, r.Aborted)
            .ConfigureAwait(false);
        var code = result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        await ResponseWriter.WriteObjectAsync(r.Context, code, result.Object, [.. body.Warnings, .. result.Warnings]).ConfigureAwait(false);
    }
}

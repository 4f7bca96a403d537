using Berth.ApiServer.Http;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// PATCH with the four patch types. Server-side apply needs a fieldManager and may create the object (201);
/// <c>force</c> is only valid for apply. Mirrors k8s.io/apiserver pkg/endpoints/handlers/patch.go (PatchResource).
/// </summary>
internal static class PatchHandler
{
    public static async Task HandleAsync(ResourceRequest r)
    {
        var options = r.WriteOptions();
        var (type, patch, warnings) = await RequestDecoder.ReadPatchAsync(r.Request, r.Info.Kind, options.FieldValidation, r.Aborted).ConfigureAwait(false);
        ValidateOptions(type, options);
        if (type != PatchType.Apply)
        {
            options = FieldManagerDefaults.OrUserAgent(options, r.Request);
        }
        var result = await r.Api.PatchResourceAsync(r.Info.Kind, r.Info.Namespace, r.Info.Name!, type, patch, r.Info.Subresource, options, r.Aborted)
            .ConfigureAwait(false);
        var code = result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        await ResponseWriter.WriteObjectAsync(r.Context, code, result.Object, [.. warnings, .. result.Warnings]).ConfigureAwait(false);
    }

    /// <summary>Upstream ValidatePatchOptions: apply needs fieldManager; force is forbidden for other patch types.</summary>
    private static void ValidateOptions(PatchType type, WriteOptions options)
    {
        if (type == PatchType.Apply && string.IsNullOrEmpty(options.FieldManager))
        {
            throw ApiErrors.Invalid(FieldManagerValidation.PatchOptions, "", [FieldError.Required("fieldManager", "is required for apply patch")]);
        }
        FieldManagerValidation.Validate(options.FieldManager, FieldManagerValidation.PatchOptions);
        if (type != PatchType.Apply && options.Force)
        {
            throw ApiErrors.Invalid(FieldManagerValidation.PatchOptions, "", [FieldError.Forbidden("force", "may not be specified for non-apply patch")]);
        }
    }
}

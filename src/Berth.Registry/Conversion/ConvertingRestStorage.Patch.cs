using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;

namespace Berth.Registry.Conversion;

public sealed partial class ConvertingRestStorage
{
    /// <summary>Retries of a patch whose update lost a race (the patch set no resourceVersion), as GuaranteedUpdate retries.</summary>
    private const int PatchAttempts = 5;

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await PatchResourceAsync(kind, ns, name, type, patch, subresource, options, cancellationToken).ConfigureAwait(false)).Object;

    /// <summary>
    /// A patch in a served version is applied to the object read in that version, and the result converted back and
    /// written as an update whose precondition is the resourceVersion read (or the one the patch sets: then a conflict
    /// is the caller's 409); a lost race re-reads and re-applies. Server-side apply is refused with 415: its managed
    /// fields are recorded per version and Berth converts no field sets between versions.
    /// Mirrors k8s.io/apiserver pkg/endpoints/handlers/patch.go (patcher.applyPatch in the request's version).
    /// </summary>
    public async Task<WriteResult> PatchResourceAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch,
        string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (VersionConverters.For(kind) is not { } converter || subresource is not null and not "status")
        {
            return await inner.PatchResourceAsync(kind.StorageVersion, ns, name, type, patch, subresource, options, cancellationToken).ConfigureAwait(false);
        }
        if (type == PatchType.Apply)
        {
            throw ApiErrors.UnsupportedMediaType(
                $"server-side apply is not supported for {kind.ApiVersion} {kind.Resource}; apply in {kind.StorageVersion.ApiVersion}, or use a JSON, merge or strategic merge patch");
        }
        options ??= new WriteOptions();
        for (var attempt = 1; ; attempt++)
        {
            var current = converter.FromStorage(await inner.GetAsync(kind.StorageVersion, ns, name, cancellationToken).ConfigureAwait(false));
            var read = current.GetResourceVersion();
            var patched = PatchApplier.Apply(kind, current, type, patch, options, time.GetUtcNow());
            var (stored, warnings) = In(kind, patched, options);
            if (stored.GetName() != name)
            {
                throw ApiErrors.BadRequest($"the name of the object ({stored.GetName()}) does not match the name on the URL ({name})");
            }
            try
            {
                var result = await inner.UpdateResourceAsync(kind.StorageVersion, ns, name, stored, subresource, options, cancellationToken).ConfigureAwait(false);
                return Out(kind, result, warnings);
            }
            catch (ApiException e) when (e.Code == 409 && stored.GetResourceVersion() == read && attempt < PatchAttempts)
            {
                // Someone wrote between the read and the update; the patch itself set no other resourceVersion.
            }
        }
    }
}

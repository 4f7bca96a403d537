using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;

namespace Berth.Registry.Conversion;

/// <summary>
/// Serves the kinds of <see cref="KindRegistry.ConvertedVersions"/> over an <see cref="IRestStorage"/> that knows only
/// storage versions: requests in a served version are checked against that version's schema (type meta, field types,
/// unknown fields per fieldValidation), converted to the storage version and passed on; every object that comes back
/// (gets, lists, write results, watch events) is converted to the served version. Resource versions, selectors, paging,
/// preconditions and errors are the inner storage's. Other kinds pass through untouched. Thread-safe.
/// Mirrors the conversion an apiserver's codec performs at the request edge (k8s.io/apiserver
/// pkg/endpoints/handlers/rest.go with runtime.UnsafeObjectConvertor) for a resource served in several versions.
/// </summary>
public sealed partial class ConvertingRestStorage(IRestStorage inner, TimeProvider time) : IRestStorage
{
    public async Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        Out(kind, await inner.GetAsync(kind.StorageVersion, ns, name, cancellationToken).ConfigureAwait(false));

    public async Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, string subresource, CancellationToken cancellationToken = default) =>
        OutSubresource(kind, subresource, await inner.GetAsync(kind.StorageVersion, ns, name, subresource, cancellationToken).ConfigureAwait(false));

    public async Task<JsonObject> GetSubresourceAsync(ResourceKind kind, string? ns, string name, string subresource, CancellationToken cancellationToken = default) =>
        OutSubresource(kind, subresource, await inner.GetSubresourceAsync(kind.StorageVersion, ns, name, subresource, cancellationToken).ConfigureAwait(false));

    public async Task<ReadOnlyMemory<byte>> GetRawAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var raw = await inner.GetRawAsync(kind.StorageVersion, ns, name, cancellationToken).ConfigureAwait(false);
        return VersionConverters.For(kind) is { } converter ? Utf8(converter.FromStorage(Parse(raw))) : raw;
    }

    public async Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = await inner.ListAsync(kind.StorageVersion, ns, options, cancellationToken).ConfigureAwait(false);
        return VersionConverters.For(kind) is { } converter ? list with { Items = list.Items.Select(converter.FromStorage).ToList(), Utf8Items = null } : list;
    }

    public async Task<RawList> ListRawAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = await inner.ListRawAsync(kind.StorageVersion, ns, options, cancellationToken).ConfigureAwait(false);
        return VersionConverters.For(kind) is { } converter
            ? list with { Items = list.Items.Select(item => Utf8(converter.FromStorage(Parse(item)))).ToList() }
            : list;
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await CreateResourceAsync(kind, ns, obj, options, cancellationToken).ConfigureAwait(false)).Object;

    public async Task<WriteResult> CreateResourceAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (kind.StorageKind is null)
        {
            return await inner.CreateResourceAsync(kind, ns, obj, options, cancellationToken).ConfigureAwait(false);
        }
        var (stored, warnings) = In(kind, obj, options);
        var result = await inner.CreateResourceAsync(kind.StorageVersion, ns, stored, options, cancellationToken).ConfigureAwait(false);
        return Out(kind, result, warnings);
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        inner.CreateAsync(kind.StorageVersion, ns, name, subresource, body, options, cancellationToken);

    public Task<WriteResult> CreateSubresourceAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.CreateSubresourceAsync(kind.StorageVersion, ns, name, subresource, body, options, cancellationToken);

    public async Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        (await UpdateResourceAsync(kind, ns, obj.GetName() ?? "", obj, subresource, options, cancellationToken)
            .ConfigureAwait(false)).Object;

    public async Task<WriteResult> UpdateResourceAsync(ResourceKind kind, string? ns, string name, JsonObject obj, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (kind.StorageKind is null || subresource is not null and not "status")
        {
            return await inner.UpdateResourceAsync(kind.StorageVersion, ns, name, obj, subresource, options, cancellationToken).ConfigureAwait(false);
        }
        var (stored, warnings) = In(kind, obj, options);
        var result = await inner.UpdateResourceAsync(kind.StorageVersion, ns, name, stored, subresource, options, cancellationToken).ConfigureAwait(false);
        return Out(kind, result, warnings);
    }

    public async Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.DeleteAsync(kind.StorageVersion, ns, name, options, cancellationToken).ConfigureAwait(false);
        return kind.StorageKind is null ? result : result with { Object = Out(kind, result.Object) };
    }

    public async Task<ApiList> DeleteCollectionAsync(ResourceKind kind, string? ns, ListOptions? listOptions, DeleteOptions? deleteOptions,
        CancellationToken cancellationToken = default)
    {
        var list = await inner.DeleteCollectionAsync(kind.StorageVersion, ns, listOptions, deleteOptions, cancellationToken).ConfigureAwait(false);
        return kind.StorageKind is null ? list : list with { Items = list.Items.Select(item => Out(kind, item)).ToList(), Utf8Items = null };
    }

    public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        kind.StorageKind is null ? inner.WatchAsync(kind, ns, options, cancellationToken) : Converted(kind, inner.WatchAsync(kind.StorageVersion, ns, options, cancellationToken));

    public async Task<IAsyncEnumerable<ApiWatchEvent>> OpenWatchAsync(ResourceKind kind, string? ns, ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var events = await inner.OpenWatchAsync(kind.StorageVersion, ns, options, cancellationToken).ConfigureAwait(false);
        return kind.StorageKind is null ? events : Converted(kind, events);
    }

    /// <summary>Object events in the served version; a bookmark keeps only its resourceVersion, under the served apiVersion; errors stay Status.</summary>
    private static async IAsyncEnumerable<ApiWatchEvent> Converted(ResourceKind kind, IAsyncEnumerable<ApiWatchEvent> events,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return e.Type switch
            {
                ApiWatchEventType.Error => e,
                ApiWatchEventType.Bookmark => new ApiWatchEvent(e.Type, Bookmark(kind, e.Object)),
                _ => new ApiWatchEvent(e.Type, VersionConverters.For(kind)!.FromStorage(e.Object)),
            };
        }
    }

    private static JsonObject Bookmark(ResourceKind kind, JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        copy["apiVersion"] = kind.ApiVersion;
        return copy;
    }

    /// <summary>
    /// A request body in the served version, checked as the registry checks bodies (type meta 400, field types 400,
    /// unknown fields per fieldValidation) and converted; the warnings are for the served version's fields.
    /// </summary>
    private static (JsonObject Stored, IReadOnlyList<string> Warnings) In(ResourceKind kind, JsonObject obj, WriteOptions? options)
    {
        if (VersionConverters.For(kind) is not { } converter)
        {
            return (obj, []);
        }
        var copy = obj.DeepClone().AsObject();
        ObjectMetaRules.StampTypeMeta(kind, copy);
        var warnings = FieldValidationRules.Apply(kind, copy, options?.FieldValidation ?? FieldValidation.Ignore);
        return (converter.ToStorage(copy), warnings);
    }

    private static JsonObject Out(ResourceKind kind, JsonObject stored) =>
        VersionConverters.For(kind) is { } converter && IsStoredObject(kind, stored) ? converter.FromStorage(stored) : stored;

    private static JsonObject OutSubresource(ResourceKind kind, string subresource, JsonObject result) =>
        subresource == "status" ? Out(kind, result) : result;

    private static WriteResult Out(ResourceKind kind, WriteResult result, IReadOnlyList<string> warnings) =>
        new(Out(kind, result.Object), result.Created, [.. warnings, .. result.Warnings]);

    /// <summary>True for an object of the storage version (not a Status or another kind's reply).</summary>
    private static bool IsStoredObject(ResourceKind kind, JsonObject obj) =>
        (string?)obj["apiVersion"] == kind.StorageVersion.ApiVersion && (string?)obj["kind"] == kind.Kind;

    private static JsonObject Parse(ReadOnlyMemory<byte> utf8) => ApiJson.ParseObject(utf8.Span);

    private static ReadOnlyMemory<byte> Utf8(JsonObject obj) => ApiJson.ToUtf8(obj);
}

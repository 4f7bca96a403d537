using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.Registry;

/// <summary>
/// What the HTTP handlers need beyond <see cref="IApiClient"/>: raw (already serialised) reads for the hot paths,
/// subresources (<c>status</c>, <c>scale</c>, <c>binding</c>, <c>eviction</c>, <c>finalize</c>), deletecollection, and
/// write results that say whether an object was created (201) and which warnings to send.
/// Mirrors the verb interfaces of k8s.io/apiserver pkg/registry/rest/rest.go (Getter, Lister, Creater, Updater,
/// Patcher, GracefulDeleter, CollectionDeleter, Watcher).
/// </summary>
/// <remarks>Thread-safe. Same error contract as <see cref="IApiClient"/>.</remarks>
public interface IRestStorage : IApiClient
{
    /// <summary>The stored UTF-8 JSON of one object (apiVersion/kind and resourceVersion included). Never mutate it.</summary>
    Task<ReadOnlyMemory<byte>> GetRawAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>A list page as stored UTF-8 JSON items, after selectors and paging.</summary>
    Task<RawList> ListRawAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>GET of <c>status</c> (the object) or <c>scale</c> (an autoscaling/v1 Scale).</summary>
    Task<JsonObject> GetSubresourceAsync(ResourceKind kind, string? ns, string name, string subresource, CancellationToken cancellationToken = default);

    /// <summary>POST to a collection.</summary>
    Task<WriteResult> CreateResourceAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>POST to <c>pods/{name}/binding</c> or <c>pods/{name}/eviction</c>; the result object is a Status.</summary>
    Task<WriteResult> CreateSubresourceAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>PUT of an object or of its <c>status</c>, <c>scale</c> or <c>finalize</c> subresource; <paramref name="name"/> is the URL's.</summary>
    Task<WriteResult> UpdateResourceAsync(ResourceKind kind, string? ns, string name, JsonObject obj, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>PATCH of an object or subresource. Server-side apply of a missing object creates it (<see cref="WriteResult.Created"/>).</summary>
    Task<WriteResult> PatchResourceAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a watch (400 for bad selectors and 410 Expired for a compacted resourceVersion are thrown here, before any
    /// event) and returns its events; see <see cref="IApiClient.WatchAsync"/> for their semantics. The caller must
    /// enumerate the result (disposing the enumerator closes the watch).
    /// </summary>
    Task<IAsyncEnumerable<ApiWatchEvent>> OpenWatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>DELETE on a collection: deletes every item matching the selectors; returns the items as they were left.</summary>
    Task<ApiList> DeleteCollectionAsync(ResourceKind kind, string? ns, ListOptions? listOptions, DeleteOptions? deleteOptions, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of a write: the object to return, whether it was created (HTTP 201), and warnings (HTTP <c>Warning</c> headers).</summary>
public sealed record WriteResult(JsonObject Object, bool Created, IReadOnlyList<string> Warnings);

/// <summary>A list page whose items are stored UTF-8 JSON, spliced into responses without re-parsing.</summary>
public sealed record RawList(IReadOnlyList<ReadOnlyMemory<byte>> Items, string ResourceVersion, string? Continue);

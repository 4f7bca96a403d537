using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;

namespace Berth.Testing.Fakes;

/// <summary>
/// An <see cref="IApiClient"/> that forwards every call to <see cref="Inner"/> (the DelegatingHandler pattern): a test
/// decorator overrides only the verbs it gates or records.
/// </summary>
public abstract class DelegatingApiClient(IApiClient inner) : IApiClient
{
    protected IApiClient Inner { get; } = inner;

    public virtual Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(kind, ns, name, cancellationToken);

    public virtual Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(kind, ns, options, cancellationToken);

    public virtual Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.CreateAsync(kind, ns, obj, options, cancellationToken);

    public virtual Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Inner.UpdateAsync(kind, ns, obj, subresource, options, cancellationToken);

    public virtual Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);

    public virtual Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(kind, ns, name, options, cancellationToken);

    public virtual IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.WatchAsync(kind, ns, options, cancellationToken);
}

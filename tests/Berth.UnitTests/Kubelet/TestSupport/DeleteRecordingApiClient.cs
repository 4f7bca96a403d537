using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>
/// Forwards to another <see cref="IApiClient"/> and records every pod delete with its options. A successful pod delete
/// also drops the <see cref="HoldFinalizer"/> the harness uses to emulate graceful deletion, so the object goes.
/// </summary>
internal sealed class DeleteRecordingApiClient(IApiClient inner) : IApiClient
{
    public const string HoldFinalizer = "berth.test/graceful-delete";

    private readonly ConcurrentQueue<(string Name, DeleteOptions? Options)> _deletes = new();

    public IReadOnlyList<(string Name, DeleteOptions? Options)> Deletes => [.. _deletes];

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(kind, ns, name, cancellationToken);

    public Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(kind, ns, options, cancellationToken);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(kind, ns, obj, options, cancellationToken);

    public Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(kind, ns, obj, subresource, options, cancellationToken);

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);

    public async Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (kind != KindRegistry.Pods)
        {
            return await inner.DeleteAsync(kind, ns, name, options, cancellationToken);
        }

        _deletes.Enqueue((name, options));
        var result = await inner.DeleteAsync(kind, ns, name, options, cancellationToken);
        if (!result.Deleted)
        {
            await RemoveAsync(name);
        }

        return result;
    }

    /// <summary>Drops every finalizer of a deleting pod, which removes it.</summary>
    public Task RemoveAsync(string name) =>
        inner.PatchAsync(KindRegistry.Pods, "default", name, PatchType.Merge,
            new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null, ["deletionTimestamp"] = "2025-01-01T00:00:00Z" } });

    public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(kind, ns, options, cancellationToken);
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Storage;

namespace Berth.Registry.Generic;

/// <summary>
/// <see cref="IApiClient"/> and <see cref="IRestStorage"/> over one <see cref="IResourceStore"/>: dispatches every call
/// to the <see cref="ResourceRegistry"/> of its kind (created on first use with the kind's strategy).
/// Mirrors the per-resource storage map of kubernetes/kubernetes pkg/controlplane (RESTStorageProvider) behind one client.
/// </summary>
/// <remarks>Thread-safe; register as a singleton. Inputs are copied, so callers keep ownership of what they pass.</remarks>
public sealed partial class ApiRegistry : IRestStorage
{
    private readonly ConcurrentDictionary<ResourceKind, ResourceRegistry> _registries = new();
    private readonly IResourceStore _store;
    private readonly StrategyCatalog _strategies;
    private readonly TimeProvider _time;
    private readonly NamespaceLifecycle _namespaces;
    private readonly RegistryOptions _options;

    public ApiRegistry(IResourceStore store, StrategyCatalog strategies, TimeProvider time, RegistryOptions? options = null)
    {
        _store = store;
        _strategies = strategies;
        _time = time;
        _namespaces = new NamespaceLifecycle(store);
        _options = options ?? new RegistryOptions();
    }

    private ResourceRegistry For(ResourceKind kind) =>
        _registries.GetOrAdd(kind, k => new ResourceRegistry(k, _strategies.For(k), _store, _time, _namespaces, _options));

    /// <summary>
    /// A private copy in parsed form: a serialise/parse round trip, so numbers built in code as <c>int</c> read back as
    /// <c>long</c> like everything that came from JSON (JsonValue.TryGetValue is type-exact for CLR-built values).
    /// </summary>
    private static JsonObject Copy(JsonObject obj) => ApiJson.ParseObject(ApiJson.ToUtf8(obj));

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        For(kind).GetAsync(ns, name, cancellationToken);

    public async Task<ReadOnlyMemory<byte>> GetRawAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        (await For(kind).GetStoredAsync(ns, name, cancellationToken).ConfigureAwait(false)).Value;

    public Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        For(kind).ListAsync(ns, options ?? new ListOptions(), cancellationToken);

    public Task<RawList> ListRawAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        For(kind).ListRawAsync(ns, options ?? new ListOptions(), cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        For(kind).WatchAsync(ns, options ?? new ListOptions(), cancellationToken);

    public async Task<IAsyncEnumerable<ApiWatchEvent>> OpenWatchAsync(ResourceKind kind, string? ns, ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var session = await For(kind).OpenWatchAsync(ns, options ?? new ListOptions(), cancellationToken).ConfigureAwait(false);
        return new WatchStream(session);
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await CreateResourceAsync(kind, ns, obj, options, cancellationToken).ConfigureAwait(false)).Object;

    public async Task<WriteResult> CreateResourceAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var copy = Copy(obj);
        options ??= new WriteOptions();
        var seat = await AcquirePodStartSeatAsync(kind, copy, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await AdmitCreateAsync(kind, ns, copy, options, cancellationToken).ConfigureAwait(false);
            var result = await For(kind).CreateAsync(ns, copy, seat is null ? options : Seated(options, seat), cancellationToken).ConfigureAwait(false);
            if (seat is { IsHeld: false })
            {
                // Stored without passing the admit hook (no uid to free it by): nothing could ever give it back.
                seat.Return();
            }
            return result;
        }
        catch
        {
            seat?.Return();
            throw;
        }
    }

    /// <summary>The kind-specific admission of a create, in upstream's plugin order, quota last.</summary>
    private async Task AdmitCreateAsync(ResourceKind kind, string? ns, JsonObject copy, WriteOptions options, CancellationToken cancellationToken)
    {
        if (kind == KindRegistry.Pods)
        {
            await AdmitPodCreateAsync(ns ?? copy.GetNamespace(), copy, cancellationToken).ConfigureAwait(false);
        }
        else if (kind == KindRegistry.Ingresses)
        {
            await AdmitIngressCreateAsync(copy, cancellationToken).ConfigureAwait(false);
        }
        if (kind.Namespaced && kind != KindRegistry.Events && (ns ?? copy.GetNamespace()) is { Length: > 0 } quotaNs)
        {
            await ChargeQuotasAsync(kind, quotaNs, copy, options.DryRun, cancellationToken).ConfigureAwait(false);
        }
        if (Storage.StorageAdmission.Applies(kind))
        {
            await Storage.StorageAdmission.AdmitAsync(this, kind, copy, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        (await UpdateResourceAsync(kind, ns, obj.GetName() ?? "", obj, subresource, options, cancellationToken).ConfigureAwait(false)).Object;

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await PatchResourceAsync(kind, ns, name, type, patch, subresource, options, cancellationToken).ConfigureAwait(false)).Object;

    public Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (kind == KindRegistry.PriorityClasses && Scheduling.SystemPriorityClasses.IsSystemName(name))
        {
            // Upstream's PriorityClass REST storage refuses this in Delete (not in DeleteCollection).
            return Task.FromException<DeleteResult>(ApiErrors.Forbidden(kind, name, "this is a system priority class and cannot be deleted"));
        }
        var delete = For(kind).DeleteAsync(ns, name, options ?? new DeleteOptions(), cancellationToken);
        return kind == KindRegistry.Pods && _options.PodStarts is { InUse: > 0 } ? ReleasePodStartAfter(delete) : delete;
    }

    /// <summary>
    /// Lists the matching items, then deletes each with <paramref name="deleteOptions"/>; items that vanished meanwhile
    /// are skipped. Returns each item as its delete left it. Mirrors store.go DeleteCollection.
    /// </summary>
    public async Task<ApiList> DeleteCollectionAsync(ResourceKind kind, string? ns, ListOptions? listOptions, DeleteOptions? deleteOptions,
        CancellationToken cancellationToken = default)
    {
        var registry = For(kind);
        var list = await registry.ListAsync(ns, (listOptions ?? new ListOptions()) with { Limit = 0, Continue = null }, cancellationToken).ConfigureAwait(false);
        var results = new List<JsonObject>(list.Items.Count);
        foreach (var item in list.Items)
        {
            try
            {
                var result = await registry.DeleteAsync(item.GetNamespace(), item.GetName()!, deleteOptions ?? new DeleteOptions(), cancellationToken).ConfigureAwait(false);
                results.Add(result.Object);
                if (kind == KindRegistry.Pods)
                {
                    _options.PodStarts?.Release(result.Object.GetUid());
                }
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted by someone else since the list; deletecollection tolerates that.
            }
        }
        return new ApiList(results, list.ResourceVersion, null);
    }
}

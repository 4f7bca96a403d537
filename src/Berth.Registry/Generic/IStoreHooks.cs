using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>
/// Ends what a <c>Begin*</c> hook started: <c>true</c> once the write is stored (commit: e.g. release what the old
/// object held), <c>false</c> when it failed or was a dry run (revert: e.g. release what was allocated). Called once.
/// Mirrors k8s.io/apiserver pkg/registry/generic/registry/store.go (FinishFunc).
/// </summary>
public delegate void FinishFunc(bool success);

/// <summary>
/// Optional hooks a strategy may implement when its kind owns state outside the object, such as the cluster IPs and
/// node ports of Services. The registry calls them around the store write of the main resource (not status).
/// Mirrors the BeginCreate, BeginUpdate and AfterDelete hooks of k8s.io/apiserver
/// pkg/registry/generic/registry/store.go as used by pkg/registry/core/service/storage/storage.go.
/// </summary>
/// <remarks>
/// Implementations are thread-safe: hooks of concurrent requests run concurrently. <see cref="BeginUpdate"/> runs
/// inside the read-modify-write loop, so it may be called again for the same request after a conflict; the registry
/// finishes the previous attempt with <c>false</c> first.
/// </remarks>
public interface IStoreHooks
{
    /// <summary>
    /// Awaited before any other hook of a request. Lets the hooks load their state once from the stored objects
    /// (<paramref name="listStored"/> lists every object of the kind); later calls return at once.
    /// </summary>
    Task EnsureInitializedAsync(Func<CancellationToken, Task<IReadOnlyList<JsonObject>>> listStored, CancellationToken cancellationToken);

    /// <summary>Called on create after validation, before the store write. May mutate <paramref name="obj"/>; throws <c>ApiException</c> to refuse.</summary>
    FinishFunc BeginCreate(JsonObject obj, bool dryRun);

    /// <summary>Called on update after validation, before the store write. May mutate <paramref name="newObj"/> only.</summary>
    FinishFunc BeginUpdate(JsonObject newObj, JsonObject oldObj, bool dryRun);

    /// <summary>Called once after <paramref name="obj"/> was removed from the store (never for a dry run).</summary>
    void AfterDelete(JsonObject obj);
}

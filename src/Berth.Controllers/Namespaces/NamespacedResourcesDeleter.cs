using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// Empties a terminating namespace: deletes every object of every namespaced kind (background propagation), and once
/// nothing is left removes the <c>kubernetes</c> finalizer through <c>namespaces/{name}/finalize</c>, which lets the
/// registry delete the namespace. Objects held by finalizers (including <c>orphan</c>/<c>foregroundDeletion</c>, which
/// need the garbage collector) and terminating pods keep the namespace until they are gone.
/// Mirrors kubernetes/kubernetes pkg/controller/namespace/deletion/namespaced_resources_deleter.go
/// (Delete, deleteAllContent, finalizeNamespace, and the status conditions while content remains).
/// </summary>
/// <remarks>Stateless; thread-safe. Uses <see cref="IApiClient"/> only.</remarks>
internal sealed class NamespacedResourcesDeleter(IApiClient api, TimeProvider time)
{
    /// <summary>The spec finalizer this controller owns.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>How long to wait before checking again when objects held by finalizers remain.</summary>
    private static readonly TimeSpan FinalizerRecheck = TimeSpan.FromSeconds(5);

    private static readonly DeleteOptions Background = new(PropagationPolicy: "Background");

    /// <summary>
    /// One pass for namespace <paramref name="name"/>. Returns when to look again (content remains), or null when the
    /// namespace is finalized, gone, or not being deleted. API errors propagate (the caller retries with backoff).
    /// </summary>
    public async Task<TimeSpan?> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var ns = await GetNamespaceAsync(name, cancellationToken).ConfigureAwait(false);
        if (ns is null || ns.GetString("metadata", "deletionTimestamp") is null)
        {
            return null;
        }
        if (!HasKubernetesFinalizer(ns))
        {
            await RemoveFinalizedAsync(ns, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var left = new RemainingContent();
        var wait = await DeleteAllContentAsync(name, left, cancellationToken).ConfigureAwait(false);
        if (wait is not null)
        {
            await UpdateConditionsAsync(ns, left, cancellationToken).ConfigureAwait(false);
            return wait;
        }
        await FinalizeAsync(ns, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<JsonObject?> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(KindRegistry.Namespaces, null, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes what is not yet being deleted; returns the wait until the rest may be gone, or null when empty.</summary>
    private async Task<TimeSpan?> DeleteAllContentAsync(string ns, RemainingContent left, CancellationToken cancellationToken)
    {
        TimeSpan? wait = null;
        foreach (var kind in KindRegistry.AllKinds.Where(k => k.Namespaced))
        {
            var list = await api.ListAsync(kind, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items)
            {
                var remaining = await DeleteItemAsync(kind, ns, item, left, cancellationToken).ConfigureAwait(false);
                if (remaining is { } w)
                {
                    wait = wait is null || w > wait ? w : wait;
                }
            }
        }
        return wait;
    }

    /// <summary>Deletes one object; returns how long it may still exist, or null when it is gone.</summary>
    private async Task<TimeSpan?> DeleteItemAsync(ResourceKind kind, string ns, JsonObject item, RemainingContent tally, CancellationToken cancellationToken)
    {
        var left = item;
        if (item.GetString("metadata", "deletionTimestamp") is null)
        {
            try
            {
                var result = await api.DeleteAsync(kind, ns, item.GetName()!, Background, cancellationToken).ConfigureAwait(false);
                if (result.Deleted)
                {
                    return null;
                }
                left = result.Object;
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
        }
        tally.Add($"{kind.Resource}.{kind.Group}", left);
        return EstimateRemaining(left);
    }

    /// <summary>
    /// Writes the deletion conditions (<see cref="NamespaceDeletionConditions"/>) when they changed. A conflict or a
    /// namespace already gone is left to the next pass.
    /// </summary>
    private async Task UpdateConditionsAsync(JsonObject ns, RemainingContent left, CancellationToken cancellationToken)
    {
        var wanted = NamespaceDeletionConditions.Build(left, time.GetUtcNow());
        if (NamespaceDeletionConditions.Merge(ns.GetArray("status", "conditions"), wanted) is not { } conditions)
        {
            return;
        }
        var updated = ns.DeepClone().AsObject();
        updated.SetPath(conditions, "status", "conditions");
        try
        {
            await api.UpdateAsync(KindRegistry.Namespaces, null, updated, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone or changed since the read: the next pass writes them again.
        }
    }

    /// <summary>Upstream's estimate: a terminating pod may live until its deletionTimestamp; finalizer-held objects are polled.</summary>
    private TimeSpan EstimateRemaining(JsonObject obj)
    {
        if (obj.GetArray("metadata", "finalizers") is { Count: > 0 })
        {
            return FinalizerRecheck;
        }
        var deadline = DateTimeOffset.TryParse(obj.GetString("metadata", "deletionTimestamp"), out var t) ? t : time.GetUtcNow();
        var left = deadline - time.GetUtcNow();
        return left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left;
    }

    private static bool HasKubernetesFinalizer(JsonObject ns) =>
        ns.GetArray("spec", "finalizers")?.Any(f => f?.GetValue<string>() == KubernetesFinalizer) == true;

    /// <summary>Removes our finalizer; the registry deletes the namespace in that update when nothing else holds it.</summary>
    private async Task FinalizeAsync(JsonObject ns, CancellationToken cancellationToken)
    {
        var finalized = ns.DeepClone().AsObject();
        var rest = ns.GetArray("spec", "finalizers")!.Where(f => f?.GetValue<string>() != KubernetesFinalizer)
            .Select(f => f?.DeepClone()).ToArray();
        finalized.SetPath(new JsonArray(rest), "spec", "finalizers");
        try
        {
            await api.UpdateAsync(KindRegistry.Namespaces, null, finalized, "finalize", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }

    /// <summary>A terminating namespace with no spec finalizers left: delete it for good unless metadata finalizers hold it.</summary>
    private async Task RemoveFinalizedAsync(JsonObject ns, CancellationToken cancellationToken)
    {
        if (ns.GetArray("spec", "finalizers") is { Count: > 0 } || ns.GetArray("metadata", "finalizers") is { Count: > 0 })
        {
            return;
        }
        try
        {
            await api.DeleteAsync(KindRegistry.Namespaces, null, ns.GetName()!, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.GarbageCollector;

public sealed partial class GarbageCollector
{
    /// <summary>What became of one owner reference (upstream classifyReferences).</summary>
    private enum OwnerState
    {
        /// <summary>The owner exists and is not waiting for its dependents.</summary>
        Solid,

        /// <summary>The owner is gone, or an object of the same name has another UID.</summary>
        Dangling,

        /// <summary>The owner is being deleted in the foreground and waits for its dependents.</summary>
        WaitingForDependentsDeletion,
    }

    /// <summary>Syncs the object with UID <paramref name="key"/>.Name in its owner and dependent roles. Idempotent.</summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (Graph.View(key.Name) is not { Object: { } obj, Kind: { } kind } view)
        {
            return;
        }
        if (GcFinalizers.IsBeingDeleted(obj))
        {
            if (GcFinalizers.Has(obj, GcFinalizers.Orphan))
            {
                await OrphanDependentsAsync(view, kind, obj, cancellationToken).ConfigureAwait(false);
            }
            else if (GcFinalizers.Has(obj, GcFinalizers.ForegroundDeletion))
            {
                await ProcessDeletingDependentsAsync(view, kind, obj, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (view.Owners.Count > 0)
        {
            await AttemptToDeleteItemAsync(view, kind, obj, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the dependent when no owner is solid; otherwise drops references to gone or waiting owners.</summary>
    private async Task AttemptToDeleteItemAsync(NodeView view, ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var states = new List<(OwnerRef Ref, OwnerState State)>();
        foreach (var owner in view.Owners)
        {
            states.Add((owner, await ClassifyAsync(owner, obj.GetNamespace(), cancellationToken).ConfigureAwait(false)));
        }
        var ns = obj.GetNamespace();
        var name = obj.GetName()!;
        if (states.Any(s => s.State == OwnerState.Solid))
        {
            var remove = states.Where(s => s.State != OwnerState.Solid).Select(s => s.Ref.Uid).ToList();
            if (remove.Count == 0)
            {
                return;
            }
            Log.RemovingReferences(Logger, string.Join(",", remove), kind.Resource, ns ?? "", name);
            await IgnoreNotFound(ObjectUpdater.UpdateAsync(_client, kind, ns, name, view.Uid, live => OwnerReferences.Remove(live, remove), cancellationToken))
                .ConfigureAwait(false);
            return;
        }
        var policy = states.Any(s => s.State == OwnerState.WaitingForDependentsDeletion) && view.Dependents.Count > 0 ? "Foreground"
            : GcFinalizers.Has(obj, GcFinalizers.Orphan) ? "Orphan"
            : GcFinalizers.Has(obj, GcFinalizers.ForegroundDeletion) ? "Foreground"
            : "Background";
        if (!await StillOwnedAsAssessedAsync(kind, ns, name, view, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        Log.Deleting(Logger, kind.Resource, ns ?? "", name, view.Uid, policy);
        await IgnoreNotFound(_client.DeleteAsync(kind, ns, name, new DeleteOptions(PropagationPolicy: policy, PreconditionUid: view.Uid), cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Live re-read before a delete (upstream reads the item live too): the graph may be behind, e.g. the references
    /// were just removed by orphaning. False when the object is gone, replaced, or its references changed; a change
    /// brings the object back through its informer event.
    /// </summary>
    private async Task<bool> StillOwnedAsAssessedAsync(ResourceKind kind, string? ns, string name, NodeView view, CancellationToken cancellationToken)
    {
        try
        {
            var live = await _client.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
            return live.GetUid() == view.Uid && OwnerRef.Of(live).SequenceEqual(view.Owners);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>The owner's state from the graph, or from a live GET when the graph has not observed it.</summary>
    private async Task<OwnerState> ClassifyAsync(OwnerRef owner, string? dependentNamespace, CancellationToken cancellationToken)
    {
        var known = Graph.View(owner.Uid)?.Object;
        if (known is null)
        {
            if (owner.ResolveKind() is not { } ownerKind)
            {
                return OwnerState.Solid;
            }
            try
            {
                known = await _client.GetAsync(ownerKind, ownerKind.Namespaced ? dependentNamespace : null, owner.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return OwnerState.Dangling;
            }
            if (known.GetUid() != owner.Uid)
            {
                return OwnerState.Dangling;
            }
        }
        return GcFinalizers.IsDeletingDependents(known) ? OwnerState.WaitingForDependentsDeletion : OwnerState.Solid;
    }

    /// <summary>Foreground: deletes the dependents; drops the finalizer once no blocking dependent is left.</summary>
    private async Task ProcessDeletingDependentsAsync(NodeView view, ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var dependents = DependentsOf(view, obj.GetNamespace());
        if (!dependents.Any(d => d.Blocking))
        {
            await RemoveFinalizerAsync(view.Uid, kind, obj, GcFinalizers.ForegroundDeletion, cancellationToken).ConfigureAwait(false);
            return;
        }
        foreach (var dependent in dependents.Where(d => !d.DeletingDependents))
        {
            Enqueue(new ObjectKey("", dependent.Uid));
        }
    }

    /// <summary>Orphan: removes the references to the owner from every dependent, then the finalizer.</summary>
    private async Task OrphanDependentsAsync(NodeView view, ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        string[] owner = [view.Uid];
        await Task.WhenAll(DependentsOf(view, obj.GetNamespace()).Select(d => IgnoreNotFound(ObjectUpdater.UpdateAsync(_client, d.Kind, d.Object.GetNamespace(),
            d.Object.GetName()!, d.Uid, live => OwnerReferences.Remove(live, owner), cancellationToken)))).ConfigureAwait(false);
        await RemoveFinalizerAsync(view.Uid, kind, obj, GcFinalizers.Orphan, cancellationToken).ConfigureAwait(false);
    }

    private Task RemoveFinalizerAsync(string uid, ResourceKind kind, JsonObject obj, string finalizer, CancellationToken cancellationToken)
    {
        Log.RemovingFinalizer(Logger, finalizer, kind.Resource, obj.GetNamespace() ?? "", obj.GetName()!);
        return IgnoreNotFound(ObjectUpdater.UpdateAsync(_client, kind, obj.GetNamespace(), obj.GetName()!, uid,
            live => GcFinalizers.Remove(live, finalizer), cancellationToken));
    }

    /// <summary>A target that is already gone (or replaced by another UID) needs nothing more.</summary>
    private static async Task IgnoreNotFound(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404 || (e.Code == 409 && e.Reason == StatusReason.Conflict && e.Message.Contains("UID", StringComparison.Ordinal)))
        {
            // Gone: the graph will hear of it.
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Util;

/// <summary>
/// Decides which of the candidate objects a controller owns: those whose controller reference points at it and that
/// its selector still matches; orphans that match are adopted (a controller reference is added), owned objects that no
/// longer match are released (the reference is removed). A controller that is being deleted neither adopts nor
/// releases. Before the first adoption the controller is re-read live (<c>canAdopt</c>), so that a controller deleted
/// since the cache saw it does not adopt. Create one per sync; not thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/controller_ref_manager.go (BaseControllerRefManager.ClaimObject,
/// PodControllerRefManager, ReplicaSetControllerRefManager, RecheckDeletionTimestamp).</remarks>
public sealed class ControllerRefManager(IApiClient client, ResourceKind dependentKind, JsonObject controller, LabelSelector selector,
    Func<CancellationToken, Task<bool>> canAdopt)
{
    private readonly string _uid = controller.GetUid() ?? "";
    private readonly bool _controllerDeleting = controller.GetString("metadata", "deletionTimestamp") is not null;
    private bool? _canAdopt;

    /// <summary>
    /// The candidates the controller owns after adoption and release. Returned objects are the cached ones or, for
    /// adopted objects, the written ones; treat them as read-only. A failed adoption or release of one object is
    /// skipped (the next sync tries again); cancellation propagates.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ClaimAsync(IReadOnlyList<JsonObject> candidates, CancellationToken cancellationToken)
    {
        var claimed = new List<JsonObject>();
        foreach (var obj in candidates)
        {
            if (await ClaimObjectAsync(obj, cancellationToken).ConfigureAwait(false) is { } owned)
            {
                claimed.Add(owned);
            }
        }
        return claimed;
    }

    private async Task<JsonObject?> ClaimObjectAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        var matches = selector.MatchesObject(obj);
        if (OwnerReferences.GetControllerOf(obj) is { } controllerRef)
        {
            if (controllerRef.GetString("uid") != _uid)
            {
                return null;
            }
            if (matches)
            {
                return obj;
            }
            if (!_controllerDeleting)
            {
                await TryWriteAsync(obj, live => OwnerReferences.Remove(live, [_uid]), cancellationToken).ConfigureAwait(false);
            }
            return null;
        }
        if (_controllerDeleting || !matches || obj.GetString("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }
        _canAdopt ??= await canAdopt(cancellationToken).ConfigureAwait(false);
        if (_canAdopt != true)
        {
            return null;
        }
        return await TryWriteAsync(obj, Adopt, cancellationToken).ConfigureAwait(false);
    }

    private bool Adopt(JsonObject live)
    {
        if (OwnerReferences.GetControllerOf(live) is not null || !selector.MatchesObject(live))
        {
            return false;
        }
        var refs = live.GetArray("metadata", "ownerReferences");
        if (refs is null)
        {
            refs = [];
            live.Metadata()["ownerReferences"] = refs;
        }
        refs.Add(OwnerReferences.NewControllerRef(controller));
        return true;
    }

    private async Task<JsonObject?> TryWriteAsync(JsonObject obj, Func<JsonObject, bool> mutate, CancellationToken cancellationToken)
    {
        try
        {
            return await ObjectUpdater.UpdateAsync(client, dependentKind, obj.GetNamespace(), obj.GetName()!, obj.GetUid(), mutate, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409 or 422)
        {
            // Gone, contended or refused: not ours this time; the next sync looks again.
            return null;
        }
    }
}

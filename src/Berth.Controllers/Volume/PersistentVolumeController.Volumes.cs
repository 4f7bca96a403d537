using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Volume;

public sealed partial class PersistentVolumeController
{
    /// <summary>
    /// Binds in upstream's order, writing only what is missing: the volume's claimRef, the volume's Bound phase, the
    /// claim's volumeName and bind annotations, then the claim's Bound status (capacity and access modes of the volume).
    /// </summary>
    private async Task BindAsync(JsonObject claim, JsonObject volume, CancellationToken cancellationToken)
    {
        var pv = (JsonObject)volume.DeepClone();
        var claimRef = pv.GetObject("spec", "claimRef");
        if (claimRef?.GetString("uid") != claim.GetUid())
        {
            if (claimRef is null)
            {
                SetAnnotation(pv, VolumeAnnotations.BoundByController, "yes");
            }
            pv.SetPath(new JsonObject
            {
                ["kind"] = "PersistentVolumeClaim", ["namespace"] = claim.GetNamespace(), ["name"] = claim.GetName(),
                ["uid"] = claim.GetUid(), ["apiVersion"] = "v1", ["resourceVersion"] = claim.GetResourceVersion(),
            }, "spec", "claimRef");
            pv = await _client.UpdateAsync(KindRegistry.PersistentVolumes, null, pv, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        if (pv.GetString("status", "phase") != "Bound")
        {
            pv.SetPath("Bound", "status", "phase");
            pv.SetPath(Scheduling.MetaTimes.Format(_timeProvider.GetUtcNow()), "status", "lastPhaseTransitionTime");
            pv = await _client.UpdateAsync(KindRegistry.PersistentVolumes, null, pv, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var pvc = (JsonObject)claim.DeepClone();
        if (pvc.GetString("spec", "volumeName") != pv.GetName() || pvc.GetString("metadata", "annotations", VolumeAnnotations.BindCompleted) is null)
        {
            if (string.IsNullOrEmpty(pvc.GetString("spec", "volumeName")))
            {
                SetAnnotation(pvc, VolumeAnnotations.BoundByController, "yes");
            }
            pvc.SetPath(pv.GetName(), "spec", "volumeName");
            SetAnnotation(pvc, VolumeAnnotations.BindCompleted, "yes");
            pvc = await _client.UpdateAsync(KindRegistry.PersistentVolumeClaims, claim.GetNamespace(), pvc, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        var capacity = pv.GetPath("spec", "capacity")?.DeepClone();
        var modes = pv.GetPath("spec", "accessModes")?.DeepClone();
        if (pvc.GetString("status", "phase") != "Bound" || !JsonNode.DeepEquals(pvc.GetPath("status", "capacity"), capacity)
            || !JsonNode.DeepEquals(pvc.GetPath("status", "accessModes"), modes))
        {
            pvc.SetPath("Bound", "status", "phase");
            pvc.SetPath(capacity, "status", "capacity");
            pvc.SetPath(modes, "status", "accessModes");
            await _client.UpdateAsync(KindRegistry.PersistentVolumeClaims, claim.GetNamespace(), pvc, "status", cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            Log.Bound(Logger, claim.GetNamespace()!, claim.GetName()!, pv.GetName()!);
        }
    }

    /// <summary>Keeps the volume's phase current and reclaims it once its claim is gone.</summary>
    private async Task SyncVolumeAsync(JsonObject volume, CancellationToken cancellationToken)
    {
        var claimRef = volume.GetObject("spec", "claimRef");
        if (claimRef is null || string.IsNullOrEmpty(claimRef.GetString("uid")))
        {
            if (volume.GetString("status", "phase") is not ("Available" or "Released" or "Failed"))
            {
                await SetVolumePhaseAsync(volume, "Available", null, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        var claim = await FindClaimAsync(claimRef, cancellationToken).ConfigureAwait(false);
        if (claim is not null)
        {
            if (claim.GetString("spec", "volumeName") == volume.GetName() && volume.GetString("status", "phase") != "Bound")
            {
                await SetVolumePhaseAsync(volume, "Bound", null, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (volume.GetString("metadata", "deletionTimestamp") is not null)
        {
            return;
        }
        if (volume.GetString("status", "phase") is not ("Released" or "Failed"))
        {
            volume = await SetVolumePhaseAsync(volume, "Released", null, cancellationToken).ConfigureAwait(false);
            Log.Released(Logger, volume.GetName()!, volume.GetString("spec", "persistentVolumeReclaimPolicy") ?? "");
        }
        if (volume.GetString("status", "phase") == "Released")
        {
            await ReclaimAsync(volume, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The claim the volume's claimRef names, if it still exists with that UID (the cache first, then the API).</summary>
    private async Task<JsonObject?> FindClaimAsync(JsonObject claimRef, CancellationToken cancellationToken)
    {
        var ns = claimRef.GetString("namespace") ?? "";
        var name = claimRef.GetString("name") ?? "";
        var uid = claimRef.GetString("uid");
        var cached = _claims.Lister.Get(ns, name);
        if (cached?.GetUid() == uid)
        {
            return cached;
        }
        try
        {
            var live = await _client.GetAsync(KindRegistry.PersistentVolumeClaims, ns, name, cancellationToken).ConfigureAwait(false);
            return live.GetUid() == uid ? live : null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Retain: nothing. Delete: our volumes lose directory and object; others fail. Recycle: not supported.</summary>
    private async Task ReclaimAsync(JsonObject volume, CancellationToken cancellationToken)
    {
        switch (volume.GetString("spec", "persistentVolumeReclaimPolicy"))
        {
            case "Delete" when volume.GetString("metadata", "annotations", VolumeAnnotations.ProvisionedBy) == LocalPathProvisioner.ProvisionerName
                && _provisioner.Delete(volume):
                try
                {
                    await _client.DeleteAsync(KindRegistry.PersistentVolumes, null, volume.GetName()!, new DeleteOptions(PreconditionUid: volume.GetUid()),
                        cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException e) when (e.Code is 404 or 409)
                {
                    return;
                }
                Log.Deleted(Logger, volume.GetName()!);
                return;
            case "Delete":
                await FailVolumeAsync(volume, "VolumeFailedDelete",
                    $"error getting deleter volume plugin for volume \"{volume.GetName()}\": no deletable volume plugin matched", cancellationToken).ConfigureAwait(false);
                return;
            case "Recycle":
                await FailVolumeAsync(volume, "VolumeFailedRecycle", "No recycler plugin found for the volume!", cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task FailVolumeAsync(JsonObject volume, string reason, string message, CancellationToken cancellationToken)
    {
        _recorder.Event(volume, EventTypes.Warning, reason, message);
        await SetVolumePhaseAsync(volume, "Failed", message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> SetVolumePhaseAsync(JsonObject volume, string phase, string? message, CancellationToken cancellationToken)
    {
        var copy = (JsonObject)volume.DeepClone();
        var status = copy["status"] as JsonObject ?? [];
        copy["status"] = status;
        status["phase"] = phase;
        status["lastPhaseTransitionTime"] = Scheduling.MetaTimes.Format(_timeProvider.GetUtcNow());
        if (message is null)
        {
            status.Remove("message");
        }
        else
        {
            status["message"] = message;
        }
        return await _client.UpdateAsync(KindRegistry.PersistentVolumes, null, copy, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.PersistentVolumes;
using Berth.Registry.Storage;

namespace Berth.Controllers.Volume;

public sealed partial class PersistentVolumeController
{
    public const string NoClassMessage = "no persistent volumes available for this claim and no storage class is set";
    public const string WaitForFirstConsumerMessage = "waiting for first consumer to be created before binding";
    public const string ClaimLostMessage = "Bound claim has lost its PersistentVolume. Data on the volume is lost!";

    /// <summary>An unbound claim binds or provisions; a bound one has its status kept current. Claims being deleted are left alone.</summary>
    private Task SyncClaimAsync(JsonObject claim, CancellationToken cancellationToken)
    {
        if (claim.GetString("metadata", "deletionTimestamp") is not null)
        {
            return Task.CompletedTask;
        }
        return string.IsNullOrEmpty(claim.GetString("spec", "volumeName"))
            ? SyncUnboundClaimAsync(claim, cancellationToken)
            : SyncBoundClaimAsync(claim, cancellationToken);
    }

    private async Task SyncUnboundClaimAsync(JsonObject claim, CancellationToken cancellationToken)
    {
        if (await AssignDefaultClassAsync(claim, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var className = StorageClassNames.Of(claim);
        var storageClass = className.Length == 0 ? null : _classes.Lister.Get(null, className);
        var selectedNode = claim.GetString("metadata", "annotations", VolumeAnnotations.SelectedNode);
        var delayed = storageClass?.GetString("volumeBindingMode") == "WaitForFirstConsumer" && selectedNode is null;
        var volume = VolumeMatcher.FindMatchingVolume(claim, _volumes.Lister.List());
        if (volume is not null && (!delayed || VolumeMatcher.IsPreBoundTo(volume, claim)))
        {
            await BindAsync(claim, volume, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (delayed)
        {
            _recorder.Event(claim, EventTypes.Normal, "WaitForFirstConsumer", WaitForFirstConsumerMessage);
            return;
        }
        if (className.Length == 0)
        {
            _recorder.Event(claim, EventTypes.Normal, "FailedBinding", NoClassMessage);
            return;
        }
        if (storageClass is null)
        {
            _recorder.Eventf(claim, EventTypes.Warning, "ProvisioningFailed", "storageclass.storage.k8s.io \"{0}\" not found", className);
            return;
        }
        await ProvisionAsync(claim, storageClass, selectedNode, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks the claim for its class's provisioner and, when that is ours, creates the directory and the volume
    /// (pre-bound to the claim; its informer event brings the claim back to be bound).
    /// </summary>
    private async Task ProvisionAsync(JsonObject claim, JsonObject storageClass, string? selectedNode, CancellationToken cancellationToken)
    {
        var provisioner = storageClass.GetString("provisioner") ?? "";
        if (claim.GetString("metadata", "annotations", VolumeAnnotations.StorageProvisioner) != provisioner)
        {
            var marked = (JsonObject)claim.DeepClone();
            SetAnnotation(marked, VolumeAnnotations.StorageProvisioner, provisioner);
            SetAnnotation(marked, VolumeAnnotations.BetaStorageProvisioner, provisioner);
            await _client.UpdateAsync(KindRegistry.PersistentVolumeClaims, claim.GetNamespace(), marked, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            _recorder.Eventf(claim, EventTypes.Normal, "ExternalProvisioning",
                "Waiting for a volume to be created either by the external provisioner '{0}' or manually by the system administrator. " +
                "If volume creation is delayed, please verify that the provisioner is running and correctly registered.", provisioner);
            return;
        }
        if (provisioner != LocalPathProvisioner.ProvisionerName || _volumes.Lister.Get(null, LocalPathProvisioner.VolumeName(claim)) is not null)
        {
            return;
        }
        _provisionerRecorder.Eventf(claim, EventTypes.Normal, "Provisioning", "External provisioner is provisioning volume for claim \"{0}/{1}\"",
            claim.GetNamespace()!, claim.GetName()!);
        var volume = _provisioner.Provision(claim, storageClass, storageClass.GetString("volumeBindingMode") == "WaitForFirstConsumer" ? selectedNode : null);
        try
        {
            await _client.CreateAsync(KindRegistry.PersistentVolumes, null, volume, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            return;
        }
        Log.Provisioned(Logger, volume.GetName()!, claim.GetNamespace()!, claim.GetName()!, _provisioner.DirectoryFor(claim));
        _provisionerRecorder.Eventf(claim, EventTypes.Normal, "ProvisioningSucceeded", "Successfully provisioned volume {0}", volume.GetName()!);
    }

    private async Task SyncBoundClaimAsync(JsonObject claim, CancellationToken cancellationToken)
    {
        var volumeName = claim.GetString("spec", "volumeName")!;
        var volume = _volumes.Lister.Get(null, volumeName);
        if (volume is null)
        {
            if (claim.GetString("metadata", "annotations", VolumeAnnotations.BindCompleted) is not null && claim.GetString("status", "phase") != "Lost")
            {
                await SetClaimPhaseAsync(claim, "Lost", cancellationToken).ConfigureAwait(false);
                _recorder.Event(claim, EventTypes.Warning, "ClaimLost", ClaimLostMessage);
            }
            return;
        }
        var claimRef = volume.GetObject("spec", "claimRef");
        if (claimRef is null || VolumeMatcher.IsPreBoundTo(volume, claim))
        {
            if (claimRef is null && !VolumeMatcher.Satisfies(volume, claim, VolumeMatcher.Quantity(claim.GetPath("spec", "resources", "requests", "storage"))))
            {
                _recorder.Eventf(claim, EventTypes.Warning, "FailedBinding", "Cannot bind to requested volume \"{0}\": requested PV is too small", volumeName);
                return;
            }
            await BindAsync(claim, volume, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (claim.GetString("metadata", "annotations", VolumeAnnotations.BindCompleted) is not null)
        {
            _recorder.Event(claim, EventTypes.Warning, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
        }
        else
        {
            _recorder.Eventf(claim, EventTypes.Warning, "FailedBinding", "volume \"{0}\" already bound to a different claim.", volumeName);
        }
    }

    /// <summary>
    /// Retroactive default class: an unbound claim that names no class at all (not even <c>""</c>) gets the default
    /// StorageClass, e.g. one created before any default existed (upstream's retroactive default StorageClass assignment).
    /// Returns true when the claim was updated (its informer event brings it back).
    /// </summary>
    private async Task<bool> AssignDefaultClassAsync(JsonObject claim, CancellationToken cancellationToken)
    {
        if (claim.GetPath("spec", "storageClassName") is not null
            || claim.GetString("metadata", "annotations", StorageClassNames.BetaAnnotation) is not null
            || StorageAdmission.DefaultClass(_classes.Lister.List()) is not { } defaultClass)
        {
            return false;
        }
        var copy = (JsonObject)claim.DeepClone();
        copy.SetPath(defaultClass, "spec", "storageClassName");
        await _client.UpdateAsync(KindRegistry.PersistentVolumeClaims, claim.GetNamespace(), copy, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Task SetClaimPhaseAsync(JsonObject claim, string phase, CancellationToken cancellationToken)
    {
        var copy = (JsonObject)claim.DeepClone();
        copy.SetPath(phase, "status", "phase");
        return _client.UpdateAsync(KindRegistry.PersistentVolumeClaims, claim.GetNamespace(), copy, "status", cancellationToken: cancellationToken);
    }

    private static void SetAnnotation(JsonObject obj, string key, string value)
    {
        var metadata = obj.Metadata();
        if (metadata["annotations"] is not JsonObject annotations)
        {
            metadata["annotations"] = annotations = [];
        }
        annotations[key] = value;
    }
}

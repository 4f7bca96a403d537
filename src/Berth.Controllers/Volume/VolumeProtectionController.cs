using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Volume;

/// <summary>
/// Storage object in-use protection. Claims keep <c>kubernetes.io/pvc-protection</c> and volumes
/// <c>kubernetes.io/pv-protection</c> (added here when admission did not, e.g. to objects stored before the protection existed). A deleted claim
/// loses its finalizer once no scheduled pod names it (checked in the cache, then live); a deleted volume once it is
/// no longer <c>Bound</c>. Keys: <c>ns/name</c> for claims, <c>name</c> for volumes.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/volume/pvcprotection (processPVC, isBeingUsed, podUsesPVC) and
/// pkg/controller/volume/pvprotection (processPV, isVolumeInUse).
/// </remarks>
public sealed partial class VolumeProtectionController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly SharedInformer _claims;
    private readonly SharedInformer _volumes;
    private readonly SharedInformer _pods;

    public VolumeProtectionController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider,
        ILogger<VolumeProtectionController> logger)
        : this(informers.InformerFor(KindRegistry.PersistentVolumeClaims), informers.InformerFor(KindRegistry.PersistentVolumes),
            informers.InformerFor(KindRegistry.Pods), client, timeProvider, logger)
    {
    }

    private VolumeProtectionController(SharedInformer claims, SharedInformer volumes, SharedInformer pods, IApiClient client,
        TimeProvider timeProvider, ILogger logger)
        : base("volume-protection", [claims, volumes, pods], timeProvider, logger)
    {
        _client = client;
        _claims = claims;
        _volumes = volumes;
        _pods = pods;
        var enqueue = new ResourceEventHandlerFuncs { AddFunc = (o, _) => Enqueue(o), UpdateFunc = (_, o) => Enqueue(o) };
        claims.AddEventHandler(enqueue);
        volumes.AddEventHandler(enqueue);
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            UpdateFunc = (_, pod) => EnqueueClaimsOf(pod),
            DeleteFunc = (pod, _) => EnqueueClaimsOf(pod),
        });
    }

    protected override Task SyncAsync(ObjectKey key, CancellationToken cancellationToken) =>
        key.Namespace.Length == 0
            ? _volumes.Lister.Get(null, key.Name) is { } volume ? SyncVolumeAsync(volume, cancellationToken) : Task.CompletedTask
            : _claims.Lister.Get(key.Namespace, key.Name) is { } claim ? SyncClaimAsync(claim, cancellationToken) : Task.CompletedTask;

    /// <summary>The claim names of a pod's <c>persistentVolumeClaim</c> volumes.</summary>
    public static IEnumerable<string> ClaimNames(JsonObject pod) =>
        (pod.GetArray("spec", "volumes") ?? []).OfType<JsonObject>()
            .Select(v => v.GetString("persistentVolumeClaim", "claimName")).OfType<string>();

    /// <summary>A scheduled pod that names the claim uses it, whatever its phase (upstream podUsesPVC).</summary>
    public static bool PodUsesClaim(JsonObject pod, string claimName) =>
        !string.IsNullOrEmpty(pod.GetString("spec", "nodeName")) && ClaimNames(pod).Contains(claimName);

    private async Task SyncClaimAsync(JsonObject claim, CancellationToken cancellationToken)
    {
        var deleting = claim.GetString("metadata", "deletionTimestamp") is not null;
        if (!deleting)
        {
            await EnsureFinalizerAsync(KindRegistry.PersistentVolumeClaims, claim, StorageAdmission.PvcProtectionFinalizer, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!HasFinalizer(claim, StorageAdmission.PvcProtectionFinalizer) || await IsClaimInUseAsync(claim, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        await RemoveFinalizerAsync(KindRegistry.PersistentVolumeClaims, claim, StorageAdmission.PvcProtectionFinalizer, cancellationToken).ConfigureAwait(false);
        Log.ClaimReleased(Logger, claim.GetNamespace()!, claim.GetName()!);
    }

    private async Task<bool> IsClaimInUseAsync(JsonObject claim, CancellationToken cancellationToken)
    {
        var name = claim.GetName()!;
        if (_pods.Lister.List(claim.GetNamespace()).Any(p => PodUsesClaim(p, name)))
        {
            return true;
        }
        // The cache may lag behind a pod that was just scheduled: ask the API before letting the claim go.
        var live = await _client.ListAsync(KindRegistry.Pods, claim.GetNamespace(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return live.Items.Any(p => PodUsesClaim(p, name));
    }

    private async Task SyncVolumeAsync(JsonObject volume, CancellationToken cancellationToken)
    {
        if (volume.GetString("metadata", "deletionTimestamp") is null)
        {
            await EnsureFinalizerAsync(KindRegistry.PersistentVolumes, volume, StorageAdmission.PvProtectionFinalizer, cancellationToken).ConfigureAwait(false);
        }
        else if (HasFinalizer(volume, StorageAdmission.PvProtectionFinalizer) && volume.GetString("status", "phase") != "Bound")
        {
            await RemoveFinalizerAsync(KindRegistry.PersistentVolumes, volume, StorageAdmission.PvProtectionFinalizer, cancellationToken).ConfigureAwait(false);
        }
    }

    private void EnqueueClaimsOf(JsonObject pod)
    {
        foreach (var name in ClaimNames(pod))
        {
            Enqueue(new ObjectKey(pod.GetNamespace() ?? "", name));
        }
    }

    private static bool HasFinalizer(JsonObject obj, string finalizer) =>
        (obj.GetArray("metadata", "finalizers") ?? []).Any(f => f is JsonValue v && v.TryGetValue<string>(out var s) && s == finalizer);

    private async Task EnsureFinalizerAsync(ResourceKind kind, JsonObject obj, string finalizer, CancellationToken cancellationToken)
    {
        if (HasFinalizer(obj, finalizer))
        {
            return;
        }
        var copy = (JsonObject)obj.DeepClone();
        StorageAdmission.AddFinalizer(copy, finalizer);
        await UpdateAsync(kind, copy, cancellationToken).ConfigureAwait(false);
    }

    private async Task RemoveFinalizerAsync(ResourceKind kind, JsonObject obj, string finalizer, CancellationToken cancellationToken)
    {
        var copy = (JsonObject)obj.DeepClone();
        var finalizers = copy.GetArray("metadata", "finalizers")!;
        foreach (var item in finalizers.Where(f => f is JsonValue v && v.TryGetValue<string>(out var s) && s == finalizer).ToList())
        {
            finalizers.Remove(item);
        }
        await UpdateAsync(kind, copy, cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateAsync(kind, obj.GetNamespace(), obj, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone meanwhile: nothing left to protect.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3160, Level = LogLevel.Information, Message = "Claim {Namespace}/{Claim} is no longer used by any pod; removed its protection finalizer")]
        public static partial void ClaimReleased(ILogger logger, string @namespace, string claim);
    }
}

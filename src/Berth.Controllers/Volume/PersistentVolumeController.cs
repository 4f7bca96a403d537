using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Volume;

/// <summary>
/// The PersistentVolume binder with Berth's local-path provisioner built in. One queue holds claim keys
/// (<c>ns/name</c>) and volume keys (<c>name</c>, empty namespace). A claim sync binds an unbound claim to a matching
/// or pre-bound volume, or provisions one (<see cref="LocalPathProvisioner"/>) when its class names
/// <c>berth.dev/local-path</c> — for <c>WaitForFirstConsumer</c> only once the scheduler has annotated the claim with
/// its selected node — and keeps a bound claim's status current (<c>Lost</c> when its volume vanished). A volume sync
/// sets <c>Available</c>/<c>Bound</c>, marks a volume whose claim is gone <c>Released</c> and reclaims it: Retain
/// keeps it, Delete removes the directory and the object (local-path volumes only), Recycle is not supported.
/// Events carry upstream's reasons and messages.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/volume/persistentvolume (pv_controller.go syncClaim, syncUnboundClaim,
/// syncBoundClaim, syncVolume, bind, reclaimVolume; pv_controller_base.go). Unlike upstream there is no periodic
/// resync: every write the binder depends on comes back through the informers.
/// </remarks>
public sealed partial class PersistentVolumeController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly IEventRecorder _provisionerRecorder;
    private readonly LocalPathProvisioner _provisioner;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _claims;
    private readonly SharedInformer _volumes;
    private readonly SharedInformer _classes;

    /// <param name="recorder">Events of component <c>persistentvolume-controller</c>.</param>
    /// <param name="provisionerRecorder">Events of the provisioner (component <c>berth.dev/local-path</c>).</param>
    public PersistentVolumeController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder,
        IEventRecorder provisionerRecorder, LocalPathProvisioner provisioner, TimeProvider timeProvider, ILogger<PersistentVolumeController> logger)
        : this(informers.InformerFor(KindRegistry.PersistentVolumeClaims), informers.InformerFor(KindRegistry.PersistentVolumes),
            informers.InformerFor(KindRegistry.StorageClasses), client, recorder, provisionerRecorder, provisioner, timeProvider, logger)
    {
    }

    private PersistentVolumeController(SharedInformer claims, SharedInformer volumes, SharedInformer classes, IApiClient client,
        IEventRecorder recorder, IEventRecorder provisionerRecorder, LocalPathProvisioner provisioner, TimeProvider timeProvider, ILogger logger)
        : base("persistentvolume-binder", [claims, volumes, classes], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _provisionerRecorder = provisionerRecorder;
        _provisioner = provisioner;
        _timeProvider = timeProvider;
        _claims = claims;
        _volumes = volumes;
        _classes = classes;
        claims.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (claim, _) => Enqueue(claim),
            UpdateFunc = (_, claim) => Enqueue(claim),
            DeleteFunc = (claim, _) => OnClaimDeleted(claim),
        });
        volumes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (volume, _) => OnVolumeChanged(volume),
            UpdateFunc = (_, volume) => OnVolumeChanged(volume),
            DeleteFunc = (volume, _) => EnqueueClaimOf(volume),
        });
        classes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (_, _) => EnqueuePendingClaims(),
            UpdateFunc = (_, _) => EnqueuePendingClaims(),
        });
    }

    protected override Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (key.Namespace.Length == 0)
        {
            return _volumes.Lister.Get(null, key.Name) is { } volume ? SyncVolumeAsync(volume, cancellationToken) : Task.CompletedTask;
        }
        return _claims.Lister.Get(key.Namespace, key.Name) is { } claim ? SyncClaimAsync(claim, cancellationToken) : Task.CompletedTask;
    }

    private void OnVolumeChanged(JsonObject volume)
    {
        Enqueue(volume);
        EnqueueClaimOf(volume);
    }

    /// <summary>A deleted claim releases the volume bound to it.</summary>
    private void OnClaimDeleted(JsonObject claim)
    {
        if (claim.GetString("spec", "volumeName") is { Length: > 0 } volumeName)
        {
            Enqueue(new ObjectKey("", volumeName));
        }
    }

    private void EnqueueClaimOf(JsonObject volume)
    {
        if (volume.GetObject("spec", "claimRef") is { } claimRef && claimRef.GetString("namespace") is { Length: > 0 } ns
            && claimRef.GetString("name") is { Length: > 0 } name)
        {
            Enqueue(new ObjectKey(ns, name));
        }
    }

    /// <summary>A new or changed class may let pending claims provision.</summary>
    private void EnqueuePendingClaims()
    {
        foreach (var claim in _claims.Lister.List())
        {
            if (string.IsNullOrEmpty(claim.GetString("spec", "volumeName")))
            {
                Enqueue(claim);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "Bound claim {Namespace}/{Claim} to volume {Volume}")]
        public static partial void Bound(ILogger logger, string @namespace, string claim, string volume);

        [LoggerMessage(EventId = 3151, Level = LogLevel.Information, Message = "Provisioned volume {Volume} for claim {Namespace}/{Claim} at {Path}")]
        public static partial void Provisioned(ILogger logger, string volume, string @namespace, string claim, string path);

        [LoggerMessage(EventId = 3152, Level = LogLevel.Information, Message = "Volume {Volume} released by its claim; reclaim policy {Policy}")]
        public static partial void Released(ILogger logger, string volume, string policy);

        [LoggerMessage(EventId = 3153, Level = LogLevel.Information, Message = "Deleted released volume {Volume} and its directory")]
        public static partial void Deleted(ILogger logger, string volume);
    }
}

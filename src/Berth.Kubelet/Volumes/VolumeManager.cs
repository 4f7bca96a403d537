using Berth.Kubelet.Abstractions;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Materialises a pod's volumes below <c>&lt;pods&gt;/&lt;uid&gt;/volumes/</c> (emptyDir, configMap, secret,
/// downwardAPI, projected; hostPath and the hostPath/local volumes behind persistentVolumeClaims are used in place) and resolves each container's volumeMounts to host paths.
/// Mounting the host paths at <c>mountPath</c> (bind mounts in a private mount namespace) is the runtime's business,
/// not this class's: it only prepares directories and describes the mounts.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/volumemanager (WaitForAttachAndMount, the reconciler's SetUp and
/// TearDown) without its asynchronous reconciler: the pod worker calls <see cref="MountVolumesAsync"/> on every sync,
/// which sets up missing volumes and refreshes ConfigMap, Secret, downward API and projected content in place
/// (atomically, through <c>..data</c>). Thread-safety: see <see cref="IVolumeManager"/>; the class holds no per-pod
/// state. Volume types without a plugin here (csi, nfs, ephemeral, image…) fail with a
/// <c>FailedMount</c> setup error, so such pods stay Pending with an event saying why.
/// </remarks>
public sealed partial class VolumeManager : IVolumeManager
{
    private readonly IApiClient _client;
    private readonly VolumeManagerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<VolumeManager> _logger;
    private readonly IVolumePlugin[] _plugins;
    private readonly ServiceAccountTokenManager _tokens;

    public VolumeManager(IApiClient client, VolumeManagerOptions options, TimeProvider timeProvider, ILogger<VolumeManager> logger)
    {
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _tokens = new ServiceAccountTokenManager(timeProvider, logger);
        _plugins = [new EmptyDirVolume(), new ConfigMapVolume(), new SecretVolume(), new DownwardApiVolume(), new ProjectedVolume(logger, _tokens), new HostPathVolume(),
            new PersistentVolumeClaimVolume()];
    }

    /// <summary><c>&lt;pods&gt;/&lt;uid&gt;/volumes</c>: everything this manager creates for the pod.</summary>
    public string PodVolumesDirectory(string podUid) => Path.Combine(_options.PodsDirectory, podUid, "volumes");

    /// <inheritdoc/>
    /// <exception cref="VolumeSetupException">A volume could not be set up, or a volumeMount cannot be resolved.</exception>
    public async Task<IReadOnlyList<VolumeMount>> MountVolumesAsync(V1Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var uid = RequireUid(pod);
        var context = new VolumeContext(pod, PodVolumesDirectory(uid), _client, _options, _timeProvider);
        var volumes = new Dictionary<string, ContainerMounts.SetUpVolume>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            var plugin = _plugins.FirstOrDefault(p => p.CanSupport(volume))
                ?? throw VolumeSetupException.SetUpFailed(volume.Name, $"volume type {TypeOf(volume)} is not supported by Berth");
            try
            {
                var path = await plugin.SetUpAsync(context, volume, ct).ConfigureAwait(false);
                volumes[volume.Name] = new ContainerMounts.SetUpVolume(path, plugin.ReadOnly || volume.PersistentVolumeClaim?.ReadOnlyProperty == true);
            }
            catch (VolumeSetupException e)
            {
                Log.SetUpFailed(_logger, context.Namespace, pod.Metadata?.Name ?? "", uid, volume.Name, e.Message);
                throw;
            }
        }
        return ContainerMounts.Resolve(pod, volumes);
    }

    /// <inheritdoc/>
    public Task UnmountVolumesAsync(V1Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var directory = PodVolumesDirectory(RequireUid(pod));
        _tokens.DeleteServiceAccountToken(pod.Metadata!.Uid);
        if (Directory.Exists(directory))
        {
            // Directory.Delete removes symbolic links without following them, so links a container left in an
            // emptyDir never reach outside the pod directory; hostPath volumes are not below this directory.
            Directory.Delete(directory, recursive: true);
            Log.TornDown(_logger, pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", pod.Metadata!.Uid);
        }
        return Task.CompletedTask;
    }

    private static string RequireUid(V1Pod pod)
    {
        var uid = pod.Metadata?.Uid;
        if (string.IsNullOrEmpty(uid) || uid.Contains('/', StringComparison.Ordinal) || uid is "." or "..")
        {
            throw new ArgumentException("the pod has no usable metadata.uid", nameof(pod));
        }
        return uid;
    }

    /// <summary>The camelCase name of the volume's source, e.g. <c>persistentVolumeClaim</c>.</summary>
    private static string TypeOf(V1Volume volume)
    {
        var source = typeof(V1Volume).GetProperties().FirstOrDefault(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null);
        return source is null ? "<none>" : char.ToLowerInvariant(source.Name[0]) + source.Name[1..];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5711, Level = LogLevel.Warning,
            Message = "Volume {Volume} of pod {Namespace}/{Pod} ({PodUid}) could not be set up: {Detail}")]
        public static partial void SetUpFailed(ILogger logger, string @namespace, string pod, string podUid, string volume, string detail);

        [LoggerMessage(EventId = 5712, Level = LogLevel.Debug, Message = "Removed the volumes of pod {Namespace}/{Pod} ({PodUid})")]
        public static partial void TornDown(ILogger logger, string @namespace, string pod, string podUid);
    }
}

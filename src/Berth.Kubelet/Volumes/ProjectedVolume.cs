using Berth.Machinery.Kinds;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// projected: configMap, secret and downwardAPI sources merged into one directory (later sources win on equal
/// paths), published atomically and refreshed on every call. Every failing source is reported in one aggregated
/// message. <c>serviceAccountToken</c> and <c>clusterTrustBundle</c> sources are skipped with a log line: Berth
/// issues no bound service account tokens (clients authenticate with the server's token file), so the token file
/// is simply absent.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/projected/projected.go (SetUpAt, collectData).</remarks>
internal sealed partial class ProjectedVolume(ILogger logger) : IVolumePlugin
{
    public string PluginDirectory => "kubernetes.io~projected";

    public bool ReadOnly => true;

    public bool OwnsContent => true;

    public bool CanSupport(V1Volume volume) => volume.Projected is not null;

    public async Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var defaultMode = volume.Projected.DefaultMode ?? UnixFiles.DefaultFileMode;
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var source in volume.Projected.Sources ?? [])
        {
            var part = await CollectAsync(context, volume.Name, source, defaultMode, errors, cancellationToken).ConfigureAwait(false);
            foreach (var (path, file) in part)
            {
                payload[path] = file;
            }
        }
        if (errors.Count > 0)
        {
            throw VolumeSetupException.SetUpFailed(volume.Name, PayloadPublisher.Aggregate(errors));
        }
        return PayloadPublisher.Publish(context, context.VolumeDirectory(this, volume.Name), volume.Name, payload);
    }

    private async Task<Dictionary<string, FileProjection>> CollectAsync(VolumeContext context, string volumeName, V1VolumeProjection source,
        int defaultMode, List<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            if (source.ConfigMap is { } configMap)
            {
                var optional = configMap.Optional ?? false;
                var data = await VolumeSources.GetConfigMapAsync(context, configMap.Name, cancellationToken).ConfigureAwait(false);
                return data is null && !optional
                    ? Fail(errors, VolumeSources.NotFoundMessage(KindRegistry.ConfigMaps, configMap.Name))
                    : KeyToPathPayload.Build(data ?? new Dictionary<string, byte[]>(), configMap.Items, defaultMode, optional, KeyToPathPayload.ConfigMapMissingKey);
            }
            if (source.Secret is { } secret)
            {
                var optional = secret.Optional ?? false;
                var data = await VolumeSources.GetSecretAsync(context, secret.Name, cancellationToken).ConfigureAwait(false);
                return data is null && !optional
                    ? Fail(errors, VolumeSources.NotFoundMessage(KindRegistry.Secrets, secret.Name))
                    : KeyToPathPayload.Build(data ?? new Dictionary<string, byte[]>(), secret.Items, defaultMode, optional, KeyToPathPayload.SecretMissingKey);
            }
            if (source.DownwardAPI is { } downward)
            {
                return DownwardApiPayload.Build(context.Pod, downward.Items, defaultMode, context.Options, errors);
            }
            Log.SourceSkipped(logger, context.Namespace, context.Pod.Metadata?.Name ?? "", volumeName,
                source.ServiceAccountToken is not null ? "serviceAccountToken" : "clusterTrustBundle");
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }
        return [];
    }

    private static Dictionary<string, FileProjection> Fail(List<string> errors, string message)
    {
        errors.Add(message);
        return [];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5710, Level = LogLevel.Debug,
            Message = "Skipping {Source} source of projected volume {Volume} of pod {Namespace}/{Pod}: not supported by Berth")]
        public static partial void SourceSkipped(ILogger logger, string @namespace, string pod, string volume, string source);
    }
}

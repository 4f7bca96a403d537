using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// projected: configMap, secret, downwardAPI and serviceAccountToken sources merged into one directory (later
/// sources win on equal paths), published atomically and refreshed on every call (a token through
/// <see cref="ServiceAccountTokenManager"/>, which requests a new one at 80 % of its lifetime). Every failing source
/// is reported in one aggregated message. The volume ServiceAccount admission adds (<c>kube-api-access-*</c>) is
/// retried for up to <see cref="AdmissionVolumeWait"/> before it fails: in a namespace created a moment ago its
/// ServiceAccount and <c>kube-root-ca.crt</c> may not exist yet (upstream's volume manager retries every 100 ms,
/// Berth's pod worker only after its 10 s sync back-off). <c>clusterTrustBundle</c> sources are skipped with a log line.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/projected/projected.go (SetUpAt, collectData).</remarks>
internal sealed partial class ProjectedVolume(ILogger logger, ServiceAccountTokenManager tokens) : IVolumePlugin
{
    /// <summary>How long the admission-added volume waits for its ServiceAccount and CA ConfigMap.</summary>
    public static readonly TimeSpan AdmissionVolumeWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    public string PluginDirectory => "kubernetes.io~projected";

    public bool ReadOnly => true;

    public bool OwnsContent => true;

    public bool CanSupport(V1Volume volume) => volume.Projected is not null;

    public async Task<string> SetUpAsync(VolumeContext context, V1Volume volume, CancellationToken cancellationToken)
    {
        var deadline = context.TimeProvider.GetUtcNow() + (IsAdmissionVolume(volume) ? AdmissionVolumeWait : TimeSpan.Zero);
        while (true)
        {
            var (payload, errors) = await CollectAllAsync(context, volume, cancellationToken).ConfigureAwait(false);
            if (errors.Count == 0)
            {
                return PayloadPublisher.Publish(context, context.VolumeDirectory(this, volume.Name), volume.Name, payload);
            }
            if (context.TimeProvider.GetUtcNow() >= deadline)
            {
                throw VolumeSetupException.SetUpFailed(volume.Name, PayloadPublisher.Aggregate(errors));
            }
            await Task.Delay(RetryInterval, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsAdmissionVolume(V1Volume volume) =>
        volume.Name.StartsWith("kube-api-access-", StringComparison.Ordinal);

    private async Task<(Dictionary<string, FileProjection> Payload, List<string> Errors)> CollectAllAsync(VolumeContext context,
        V1Volume volume, CancellationToken cancellationToken)
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
        return (payload, errors);
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
            if (source.ServiceAccountToken is { } token)
            {
                return await TokenPayloadAsync(context, token, defaultMode, cancellationToken).ConfigureAwait(false);
            }
            Log.SourceSkipped(logger, context.Namespace, context.Pod.Metadata?.Name ?? "", volumeName, "clusterTrustBundle");
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }
        catch (ApiException e)
        {
            // Upstream's text for a failed token request (the message names the account, never the token).
            errors.Add($"failed to fetch token: {e.Message}");
        }
        return [];
    }

    /// <summary>The token file of a serviceAccountToken source: bound to the pod, for its audience (default: the API server's).</summary>
    private async Task<Dictionary<string, FileProjection>> TokenPayloadAsync(VolumeContext context, V1ServiceAccountTokenProjection source,
        int defaultMode, CancellationToken cancellationToken)
    {
        var pod = context.Pod;
        var account = string.IsNullOrEmpty(pod.Spec?.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName;
        var token = await tokens.GetServiceAccountTokenAsync(context.Client, context.Namespace, account, pod.Metadata?.Name ?? "",
            pod.Metadata?.Uid ?? "", source.Audience, source.ExpirationSeconds ?? 3600, cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, FileProjection>(StringComparer.Ordinal)
        {
            [source.Path] = new FileProjection(System.Text.Encoding.UTF8.GetBytes(token), defaultMode),
        };
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

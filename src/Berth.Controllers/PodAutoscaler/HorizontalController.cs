using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>
/// The horizontal pod autoscaler: every <see cref="SyncPeriod"/> (and at once when an HPA is created or its spec
/// changes) reads the target's <c>scale</c> subresource, computes the desired replicas from the metrics, normalizes
/// them (stabilization, behavior rate limits, min/max), writes the new scale, and records the outcome in the HPA's
/// status (current/desired replicas, current metrics, conditions, lastScaleTime) and in events. Level-triggered: a
/// failed step is reported in conditions and retried at the next period, not sooner.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler, setStatus,
/// updateStatusIfNeeded; processNextWorkItem's fixed resync requeue) in the <see cref="ControllerBase"/> shape.
/// </remarks>
public sealed partial class HorizontalController : ControllerBase
{
    /// <summary>Upstream's --horizontal-pod-autoscaler-sync-period default.</summary>
    public static readonly TimeSpan DefaultSyncPeriod = TimeSpan.FromSeconds(15);

    private readonly SharedInformer _hpas;
    private readonly SharedInformer _pods;
    private readonly IApiClient _client;
    private readonly IPodMetricsSource _metrics;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ScaleNormalizer _normalizer;

    public HorizontalController(SharedInformerFactory informers, IApiClient client, IPodMetricsSource metrics, IEventRecorder recorder,
        TimeProvider timeProvider, ILogger<HorizontalController> logger, TimeSpan? syncPeriod = null, TimeSpan? downscaleWindow = null)
        : this(informers.InformerFor(KindRegistry.HorizontalPodAutoscalers), informers.InformerFor(KindRegistry.Pods), client, metrics, recorder,
            timeProvider, logger, syncPeriod ?? DefaultSyncPeriod, downscaleWindow ?? ScaleNormalizer.DefaultDownscaleStabilizationWindow)
    {
    }

    private HorizontalController(SharedInformer hpas, SharedInformer pods, IApiClient client, IPodMetricsSource metrics, IEventRecorder recorder,
        TimeProvider timeProvider, ILogger logger, TimeSpan syncPeriod, TimeSpan downscaleWindow)
        : base("horizontal-pod-autoscaler", [hpas, pods], timeProvider, logger)
    {
        (_hpas, _pods, _client, _metrics, _recorder, _time) = (hpas, pods, client, metrics, recorder, timeProvider);
        SyncPeriod = syncPeriod;
        _normalizer = new ScaleNormalizer(timeProvider, downscaleWindow);
        hpas.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (hpa, _) => Enqueue(hpa),
            UpdateFunc = (old, hpa) =>
            {
                if (old.GetLong("metadata", "generation") != hpa.GetLong("metadata", "generation"))
                {
                    Enqueue(hpa);
                }
            },
        });
    }

    /// <summary>How often every HPA is reconciled.</summary>
    public TimeSpan SyncPeriod { get; }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var id = key.Namespace + "/" + key.Name;
        if (_hpas.Lister.Get(key.Namespace, key.Name) is not { } hpa)
        {
            _normalizer.Forget(id);
            return;
        }
        var copy = ApiJson.Clone(hpa);
        var status = copy["status"] as JsonObject ?? [];
        copy["status"] = status;
        var original = status.DeepClone();
        try
        {
            await ReconcileAsync(copy, status, id, cancellationToken).ConfigureAwait(false);
        }
        catch (ReconcileFailedException e)
        {
            Log.ReconcileFailed(Logger, id, e.Message);
        }
        if (!JsonNode.DeepEquals(original, status))
        {
            await _client.UpdateAsync(KindRegistry.HorizontalPodAutoscalers, key.Namespace, copy, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        EnqueueAfter(hpa, SyncPeriod);
    }

    /// <summary>One reconcile of <paramref name="hpa"/>, writing into <paramref name="status"/> (reconcileAutoscaler).</summary>
    private async Task ReconcileAsync(JsonObject hpa, JsonObject status, string id, CancellationToken cancellationToken)
    {
        var spec = hpa["spec"] as JsonObject ?? [];
        var now = _time.GetUtcNow();
        var (targetKind, scale) = await GetScaleAsync(hpa, spec, status, cancellationToken).ConfigureAwait(false);
        HpaConditions.Set(status, HpaConditions.AbleToScale, true, "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
        var current = (int)(scale.GetLong("spec", "replicas") ?? 0);
        _normalizer.RecordInitial(id, current);
        var min = (int)(spec.GetLong("minReplicas") ?? 1);
        var max = (int)(spec.GetLong("maxReplicas") ?? 0);
        var (up, down) = RulesOf(spec);
        int desired;
        var reason = "";
        JsonArray? currentMetrics = null;
        if (current == 0 && min != 0)
        {
            desired = 0;
            HpaConditions.Set(status, HpaConditions.ScalingActive, false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
        }
        else if (current > max || current < min)
        {
            (desired, reason) = current > max ? (max, "Current number of replicas above Spec.MaxReplicas") : (min, "Current number of replicas below Spec.MinReplicas");
        }
        else
        {
            var computed = await ComputeReplicasForMetricsAsync(hpa, spec, scale, current, status, cancellationToken).ConfigureAwait(false);
            currentMetrics = computed.Statuses;
            if (computed.Replicas < 0)
            {
                SetReplicas(status, current, current, currentMetrics, rescaled: false);
                _recorder.Event(hpa, EventTypes.Warning, "FailedComputeMetricsReplicas", computed.Error!);
                throw new ReconcileFailedException($"failed to compute desired number of replicas based on listed metrics: {computed.Error}");
            }
            reason = computed.Replicas > current ? $"{computed.Metric} above target" : computed.Replicas < current ? "All metrics below target" : "";
            var normalized = up is null
                ? _normalizer.Normalize(id, current, computed.Replicas, min, max)
                : _normalizer.NormalizeWithBehavior(id, current, computed.Replicas, min, max, up, down!);
            HpaConditions.Set(status, HpaConditions.AbleToScale, true, normalized.AbleToScale.Reason, normalized.AbleToScale.Message, now);
            HpaConditions.Set(status, HpaConditions.ScalingLimited, normalized.ScalingLimited.Limited, normalized.ScalingLimited.Reason,
                normalized.ScalingLimited.Message, now);
            desired = normalized.Replicas;
        }
        var rescale = desired != current;
        if (rescale)
        {
            await RescaleAsync(hpa, targetKind, scale, desired, reason, status, current, currentMetrics, cancellationToken).ConfigureAwait(false);
            _normalizer.RecordScale(id, current, desired, up, down);
        }
        SetReplicas(status, current, rescale ? desired : current, currentMetrics, rescale);
    }

    private async Task RescaleAsync(JsonObject hpa, ResourceKind kind, JsonObject scale, int desired, string reason, JsonObject status,
        int current, JsonArray? currentMetrics, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        scale.SetPath(JsonValue.Create(desired), "spec", "replicas");
        try
        {
            await _client.UpdateAsync(kind, hpa.GetNamespace(), scale, "scale", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            _recorder.Eventf(hpa, EventTypes.Warning, "FailedRescale", "New size: {0}; reason: {1}; error: {2}", desired, reason, e.Message);
            HpaConditions.Set(status, HpaConditions.AbleToScale, false, "FailedUpdateScale", $"the HPA controller was unable to update the target scale: {e.Message}", now);
            SetReplicas(status, current, current, currentMetrics, rescaled: false);
            throw new ReconcileFailedException($"failed to rescale: {e.Message}");
        }
        HpaConditions.Set(status, HpaConditions.AbleToScale, true, "SucceededRescale", $"the HPA controller was able to update the target scale to {desired}", now);
        _recorder.Eventf(hpa, EventTypes.Normal, "SuccessfulRescale", "New size: {0}; reason: {1}", desired, reason);
        Log.Rescaled(Logger, hpa.GetNamespace() ?? "", hpa.GetName() ?? "", current, desired);
    }

    /// <summary>The target's kind and Scale; a failure sets AbleToScale False/FailedGetScale.</summary>
    private async Task<(ResourceKind Kind, JsonObject Scale)> GetScaleAsync(JsonObject hpa, JsonObject spec, JsonObject status, CancellationToken cancellationToken)
    {
        var target = spec["scaleTargetRef"] as JsonObject ?? [];
        var (apiVersion, kindName, name) = (target.GetString("apiVersion") ?? "", target.GetString("kind") ?? "", target.GetString("name") ?? "");
        string error;
        if (KindRegistry.FindByApiVersionKind(apiVersion, kindName) is { } kind && kind.Subresources.Contains("scale"))
        {
            try
            {
                return (kind, await _client.GetAsync(kind, hpa.GetNamespace(), name, "scale", cancellationToken).ConfigureAwait(false));
            }
            catch (ApiException e)
            {
                error = e.Message;
            }
        }
        else
        {
            var slash = apiVersion.IndexOf('/');
            error = $"unable to determine resource for scale target reference: no matches for kind \"{kindName}\" in group \"{(slash < 0 ? "" : apiVersion[..slash])}\"";
        }
        _recorder.Event(hpa, EventTypes.Warning, "FailedGetScale", error);
        HpaConditions.Set(status, HpaConditions.AbleToScale, false, "FailedGetScale",
            $"the HPA controller was unable to get the target's current scale: {error}", _time.GetUtcNow());
        throw new ReconcileFailedException($"failed to query scale subresource for {kindName}/{hpa.GetNamespace()}/{name}: {error}");
    }

    /// <summary>setStatus: replica counts and the metrics of this sync (none when it measured nothing); lastScaleTime only on a rescale.</summary>
    private void SetReplicas(JsonObject status, int current, int desired, JsonArray? currentMetrics, bool rescaled)
    {
        status["currentReplicas"] = current;
        status["desiredReplicas"] = desired;
        if (currentMetrics is null)
        {
            status.Remove("currentMetrics");
        }
        else
        {
            status["currentMetrics"] = currentMetrics;
        }
        if (rescaled)
        {
            status["lastScaleTime"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The behavior's rules, or nulls when the HPA has no behavior (the legacy normalization applies).</summary>
    private (ScalingRules? Up, ScalingRules? Down) RulesOf(JsonObject spec) =>
        spec["behavior"] is JsonObject behavior
            ? (ScalingRules.From(behavior["scaleUp"] as JsonObject, TimeSpan.Zero),
                ScalingRules.From(behavior["scaleDown"] as JsonObject, _normalizer.DownscaleStabilizationWindow))
            : (null, null);

    /// <summary>A reconcile that stopped early; the status already says why.</summary>
    private sealed class ReconcileFailedException(string message) : Exception(message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2800, Level = LogLevel.Information, Message = "HorizontalPodAutoscaler {Namespace}/{Name} rescaled its target from {Current} to {Desired}")]
        public static partial void Rescaled(ILogger logger, string @namespace, string name, int current, int desired);

        [LoggerMessage(EventId = 2801, Level = LogLevel.Debug, Message = "HorizontalPodAutoscaler {Key}: {Error}")]
        public static partial void ReconcileFailed(ILogger logger, string key, string error);
    }
}

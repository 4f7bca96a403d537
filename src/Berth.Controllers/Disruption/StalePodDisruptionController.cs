using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Disruption;

/// <summary>
/// Resets a DisruptionTarget=True pod condition that was never followed by a delete: when the eviction subresource
/// marked a pod but its delete then failed, the pod is not terminating <see cref="StalePodDisruptionTimeout"/> after
/// the condition's transition, and the condition is set to False. Conditions the kubelet added
/// (TerminationByKubelet) and those of finished pods are left alone.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/disruption/disruption.go (stalePodDisruptionQueue,
/// syncStalePodDisruption, nonTerminatingPodHasStaleDisruptionCondition). Upstream runs it as a second queue of the
/// disruption controller; here it is its own queue controller, since the keys are pods, not budgets.
/// </remarks>
public sealed class StalePodDisruptionController : ControllerBase
{
    /// <summary>Upstream stalePodDisruptionTimeout.</summary>
    public static readonly TimeSpan StalePodDisruptionTimeout = TimeSpan.FromMinutes(2);

    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly SharedInformer _pods;

    public StalePodDisruptionController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider,
        ILogger<StalePodDisruptionController> logger)
        : this(informers.InformerFor(KindRegistry.Pods), client, timeProvider, logger)
    {
    }

    private StalePodDisruptionController(SharedInformer pods, IApiClient client, TimeProvider timeProvider, ILogger logger)
        : base("disruption-stale-pods", [pods], timeProvider, logger)
    {
        _client = client;
        _time = timeProvider;
        _pods = pods;
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => EnqueueIfStale(pod),
            UpdateFunc = (_, pod) => EnqueueIfStale(pod),
        });
    }

    private void EnqueueIfStale(JsonObject pod)
    {
        if (StaleAt(pod) is { } at)
        {
            EnqueueAt(pod, at);
        }
    }

    /// <summary>Sets the stale condition to False once its timeout passed; re-queues itself while it has not.</summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_pods.Lister.Get(key.Namespace, key.Name) is not { } cached || StaleAt(cached) is not { } at)
        {
            return;
        }
        if (at > _time.GetUtcNow())
        {
            Queue.AddAt(key, at);
            return;
        }
        var pod = ApiJson.Clone(cached);
        var condition = DisruptionTarget(pod)!;
        condition["status"] = "False";
        condition["lastTransitionTime"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await _client.UpdateAsync(KindRegistry.Pods, key.Namespace, pod, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For a pod that is not terminating, not finished, and carries DisruptionTarget=True not added by the kubelet:
    /// when that condition becomes stale. Null for every other pod.
    /// </summary>
    internal static DateTimeOffset? StaleAt(JsonObject pod)
    {
        if (pod.GetString("metadata", "deletionTimestamp") is not null || pod.GetString("status", "phase") is "Succeeded" or "Failed" ||
            DisruptionTarget(pod) is not { } condition || condition.GetString("status") != "True" ||
            condition.GetString("reason") == "TerminationByKubelet")
        {
            return null;
        }
        // An unparsable transition time counts as long past, as upstream's zero time does.
        return DateTimeOffset.TryParse(condition.GetString("lastTransitionTime"), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var since) ? since + StalePodDisruptionTimeout : DateTimeOffset.MinValue;
    }

    private static JsonObject? DisruptionTarget(JsonObject pod) =>
        pod.GetArray("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "DisruptionTarget");
}

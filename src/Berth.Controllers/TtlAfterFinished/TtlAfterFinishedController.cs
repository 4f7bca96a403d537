using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Job;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.TtlAfterFinished;

/// <summary>
/// Deletes a finished Job (Complete or Failed) once <c>spec.ttlSecondsAfterFinished</c> seconds have passed since
/// the terminal condition's transition, with propagationPolicy Foreground so that its pods go first. Before deleting
/// it re-reads the Job live and checks again, because the TTL may have been changed since the cache saw it; the
/// delete is guarded by UID. A Job whose TTL has not expired is re-queued for the moment it will.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/ttlafterfinished/ttlafterfinished_controller.go (processJob,
/// needsCleanup, timeLeft, jobFinishTime).</remarks>
public sealed partial class TtlAfterFinishedController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _jobs;

    public TtlAfterFinishedController(SharedInformerFactory informers, IApiClient client, TimeProvider timeProvider,
        ILogger<TtlAfterFinishedController> logger)
        : this(informers.InformerFor(KindRegistry.Jobs), client, timeProvider, logger)
    {
    }

    private TtlAfterFinishedController(SharedInformer jobs, IApiClient client, TimeProvider timeProvider, ILogger<TtlAfterFinishedController> logger)
        : base("ttl-after-finished", [jobs], timeProvider, logger)
    {
        _client = client;
        _timeProvider = timeProvider;
        _jobs = jobs;
        jobs.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (job, _) => EnqueueIfNeeded(job),
            UpdateFunc = (_, job) => EnqueueIfNeeded(job),
        });
    }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cached = _jobs.Lister.Get(key.Namespace, key.Name);
        if (cached is null || ExpiresAt(cached) is not { } expiresAt)
        {
            return;
        }
        if (expiresAt > _timeProvider.GetUtcNow())
        {
            Queue.AddAt(key, expiresAt);
            return;
        }
        JsonObject fresh;
        try
        {
            fresh = await _client.GetAsync(KindRegistry.Jobs, key.Namespace, key.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return;
        }
        if (ExpiresAt(fresh) is not { } freshExpiry || freshExpiry > _timeProvider.GetUtcNow())
        {
            Enqueue(key);
            return;
        }
        Log.Deleting(Logger, key.Namespace, key.Name);
        try
        {
            await _client.DeleteAsync(KindRegistry.Jobs, key.Namespace, key.Name,
                new DeleteOptions(PropagationPolicy: "Foreground", PreconditionUid: fresh.GetUid()), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone or replaced meanwhile: nothing of ours to delete.
        }
    }

    private void EnqueueIfNeeded(JsonObject job)
    {
        if (NeedsCleanup(job))
        {
            Enqueue(job);
        }
    }

    /// <summary>Finished, not being deleted, and with a TTL.</summary>
    internal static bool NeedsCleanup(JsonObject job) =>
        job.GetLong("spec", "ttlSecondsAfterFinished") is not null && job.GetString("metadata", "deletionTimestamp") is null &&
        JobConditions.IsJobFinished(job);

    /// <summary>When the Job expires (finish time plus its TTL; now plus the TTL without a finish time); null when it needs no cleanup.</summary>
    private DateTimeOffset? ExpiresAt(JsonObject job) =>
        NeedsCleanup(job)
            ? (FinishTime(job) ?? _timeProvider.GetUtcNow()) + TimeSpan.FromSeconds(job.GetLong("spec", "ttlSecondsAfterFinished")!.Value)
            : null;

    /// <summary>The transition time of the true Complete or Failed condition.</summary>
    internal static DateTimeOffset? FinishTime(JsonObject job)
    {
        var type = JobConditions.FinishedCondition(job);
        var text = type is null ? null : JobConditions.Find(job, type)?.GetString("lastTransitionTime");
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2970, Level = LogLevel.Information, Message = "Cleaning up finished Job {Namespace}/{Name} after its TTL")]
        public static partial void Deleting(ILogger logger, string @namespace, string name);
    }
}

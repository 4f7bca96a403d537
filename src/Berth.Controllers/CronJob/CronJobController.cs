using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.CronJob;

/// <summary>
/// Starts a Job for each due start time of every CronJob, honouring suspend, startingDeadlineSeconds and the
/// concurrency policy (Allow, Forbid, Replace); keeps <c>status.active</c>, <c>lastScheduleTime</c> and
/// <c>lastSuccessfulTime</c>; deletes finished Jobs beyond the history limits. After each sync the CronJob is
/// re-queued (the queue's AddAfter, on the injected <see cref="TimeProvider"/>) for its next start time.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/cronjob/cronjob_controllerv2.go (ControllerV2: addJob, updateJob,
/// deleteJob, updateCronJob, sync, syncCronJob, cleanupFinishedJobs) in the <see cref="ControllerBase"/> shape.
/// </remarks>
public sealed partial class CronJobController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _cronJobs;
    private readonly SharedInformer _jobs;

    /// <param name="recorder">A recorder for source component <c>cronjob-controller</c>.</param>
    public CronJobController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<CronJobController> logger)
        : this(informers.InformerFor(KindRegistry.CronJobs), informers.InformerFor(KindRegistry.Jobs), client, recorder, timeProvider, logger)
    {
    }

    private CronJobController(SharedInformer cronJobs, SharedInformer jobs, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<CronJobController> logger)
        : base("cronjob", [cronJobs, jobs], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _cronJobs = cronJobs;
        _jobs = jobs;
        cronJobs.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (cj, _) => Enqueue(cj),
            UpdateFunc = (_, cj) => Enqueue(cj),
            DeleteFunc = (cj, tombstone) => EnqueueDeleted(cj, tombstone),
        });
        jobs.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (job, _) => EnqueueController(job),
            UpdateFunc = (oldJob, job) =>
            {
                EnqueueController(oldJob);
                EnqueueController(job);
            },
            DeleteFunc = (job, _) => EnqueueController(job),
        });
    }

    /// <summary>
    /// Syncs one CronJob (upstream sync): reconcile its Jobs and maybe start one, clean up history, write status
    /// when it changed, and re-queue for the next start time. Errors requeue with backoff.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_cronJobs.Lister.Get(key.Namespace, key.Name) is not { } cached)
        {
            return;
        }
        var cronJob = ApiJson.Clone(cached);
        var jobs = _jobs.Lister.List(key.Namespace).Where(j => OwnerReferences.GetControllerOf(j)?.GetString("uid") == cronJob.GetUid()).ToList();
        var (requeueAfter, updateStatus) = await SyncCronJobAsync(cronJob, jobs, cancellationToken).ConfigureAwait(false);
        updateStatus |= await CleanupFinishedJobsAsync(cronJob, jobs, cancellationToken).ConfigureAwait(false);
        if (updateStatus)
        {
            await UpdateStatusAsync(cronJob, cancellationToken).ConfigureAwait(false);
        }
        if (requeueAfter is { } delay)
        {
            Log.Requeue(Logger, key.Namespace, key.Name, delay);
            Queue.AddAfter(key, delay);
        }
    }

    private void EnqueueController(JsonObject job)
    {
        if (OwnerReferences.GetControllerOf(job) is { } controllerRef && controllerRef.GetString("kind") == KindRegistry.CronJobs.Kind &&
            _cronJobs.Lister.Get(job.GetNamespace(), controllerRef.GetString("name") ?? "") is { } cj && cj.GetUid() == controllerRef.GetString("uid"))
        {
            Enqueue(cj);
        }
    }

    /// <summary>Writes <c>status</c> through <c>/status</c>; on a conflict re-reads the CronJob and writes once more.</summary>
    private async Task UpdateStatusAsync(JsonObject cronJob, CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateAsync(KindRegistry.CronJobs, cronJob.GetNamespace(), cronJob, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            var fresh = await _client.GetAsync(KindRegistry.CronJobs, cronJob.GetNamespace(), cronJob.GetName()!, cancellationToken).ConfigureAwait(false);
            if (fresh.GetUid() != cronJob.GetUid())
            {
                return;
            }
            fresh["status"] = cronJob["status"]?.DeepClone();
            await _client.UpdateAsync(KindRegistry.CronJobs, cronJob.GetNamespace(), fresh, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2960, Level = LogLevel.Debug, Message = "Re-queueing CronJob {Namespace}/{Name} in {Delay}")]
        public static partial void Requeue(ILogger logger, string @namespace, string name, TimeSpan delay);

        [LoggerMessage(EventId = 2961, Level = LogLevel.Information, Message = "CronJob {Namespace}/{Name} created Job {Job}")]
        public static partial void CreatedJob(ILogger logger, string @namespace, string name, string job);
    }
}

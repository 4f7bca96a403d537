using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Job;

/// <summary>
/// Runs batch/v1 Jobs to completion: keeps min(parallelism, remaining completions) pods active (NonIndexed, or one
/// pod per pending index for Indexed Jobs), counts finished pods exactly once through the
/// <see cref="JobPods.JobTrackingFinalizer"/> and <c>status.uncountedTerminatedPods</c>, backs off before replacing
/// failed pods, and fails the Job on backoffLimit, activeDeadlineSeconds or a FailJob rule of its pod failure policy
/// (<see cref="PodFailurePolicy"/>, whose Ignore rules keep a failure uncounted); an Indexed Job's success policy
/// (<see cref="SuccessPolicy"/>) completes it early. Terminal conditions are preceded by the interim
/// SuccessCriteriaMet / FailureTarget ones and written only when no pod is terminating any more.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/job/job_controller.go (Controller: addPod, updatePod, deletePod,
/// syncJob, manageJob, trackJobStatusAndRemoveFinalizers) in the <see cref="ControllerBase"/> shape. Pod
/// finalizers of deleted or finished Jobs are removed by the Job's own sync (upstream has a separate orphan queue).
/// </remarks>
public sealed partial class JobController : ControllerBase
{
    /// <summary>Most pods created or deleted in one sync (upstream MaxPodCreateDeletePerSync).</summary>
    public const int MaxPodCreateDeletePerSync = 500;

    /// <summary>Most pods recorded in <c>uncountedTerminatedPods</c> per sync (upstream MaxUncountedPods).</summary>
    public const int MaxUncountedPods = 500;

    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly TimeProvider _timeProvider;
    private readonly SharedInformer _jobs;
    private readonly SharedInformer _pods;
    private readonly TypedLister<V1Pod> _podModels;

    /// <param name="recorder">A recorder for source component <c>job-controller</c>.</param>
    public JobController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<JobController> logger)
        : this(informers.InformerFor(KindRegistry.Jobs), informers.InformerFor(KindRegistry.Pods), client, recorder, timeProvider, logger)
    {
    }

    private JobController(SharedInformer jobs, SharedInformer pods, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<JobController> logger)
        : base("job", [jobs, pods], timeProvider, logger)
    {
        _client = client;
        _recorder = recorder;
        _timeProvider = timeProvider;
        _jobs = jobs;
        _pods = pods;
        _podModels = pods.TypedLister<V1Pod>();
        Expectations = new ControllerExpectations(timeProvider);
        jobs.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (job, _) => ObserveJob(job),
            UpdateFunc = (_, job) => ObserveJob(job),
            DeleteFunc = (job, tombstone) =>
            {
                var key = tombstone?.Key ?? ObjectKeys.KeyOf(job);
                StatusWrites.Observed(key, null);
                Enqueue(key);
            },
        });
        pods.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (pod, _) => AddPod(pod),
            UpdateFunc = UpdatePod,
            DeleteFunc = (pod, _) => DeletePod(pod),
        });
    }

    /// <summary>Pod creates and deletes still awaited per Job; written by syncs, lowered by pod events.</summary>
    internal ControllerExpectations Expectations { get; }

    /// <summary>Finalizer removals still awaited per Job.</summary>
    internal FinalizerExpectations FinalizerExpectations { get; } = new();

    /// <summary>Failures since the last success, per Job.</summary>
    internal PodBackoffStore BackoffStore { get; } = new();

    /// <summary>Status writes whose informer event is still awaited per Job.</summary>
    internal StatusWriteExpectations StatusWrites { get; } = new();

    private void ObserveJob(JsonObject job)
    {
        StatusWrites.Observed(ObjectKeys.KeyOf(job), job.GetResourceVersion());
        Enqueue(job);
    }

    private void AddPod(JsonObject pod)
    {
        if (pod.GetString("metadata", "deletionTimestamp") is not null)
        {
            DeletePod(pod);
            return;
        }
        if (JobKeyOf(pod) is { } key)
        {
            if (IsCurrentOwner(pod, key))
            {
                Expectations.CreationObserved(key);
            }
            Enqueue(key);
            return;
        }
        EnqueueMatching(pod);
    }

    private void UpdatePod(JsonObject oldPod, JsonObject pod)
    {
        if (oldPod.GetResourceVersion() == pod.GetResourceVersion())
        {
            return;
        }
        var oldKey = JobKeyOf(oldPod);
        var key = JobKeyOf(pod);
        if (key is { } k && HasFinalizer(oldPod) && !HasFinalizer(pod))
        {
            FinalizerExpectations.FinalizerRemovalObserved(k, pod.GetUid() ?? "");
        }
        if (pod.GetString("metadata", "deletionTimestamp") is not null && oldPod.GetString("metadata", "deletionTimestamp") is null && key is { } owner)
        {
            Expectations.DeletionObserved(owner, ObjectKeys.KeyOf(pod));
        }
        if (oldKey is { } previous && previous != key)
        {
            Enqueue(previous);
        }
        if (key is { } current)
        {
            Enqueue(current);
            return;
        }
        EnqueueMatching(pod);
    }

    private void DeletePod(JsonObject pod)
    {
        if (JobKeyOf(pod) is not { } key)
        {
            return;
        }
        Expectations.DeletionObserved(key, ObjectKeys.KeyOf(pod));
        FinalizerExpectations.FinalizerRemovalObserved(key, pod.GetUid() ?? "");
        Enqueue(key);
    }

    /// <summary>
    /// The Job a pod belongs to: its controller reference when that is a Job, else (for an orphan still holding the
    /// tracking finalizer) the Job named by its job-name label, whose sync then removes the finalizer.
    /// </summary>
    private static ObjectKey? JobKeyOf(JsonObject pod)
    {
        var ns = pod.GetNamespace() ?? "";
        if (OwnerReferences.GetControllerOf(pod) is { } controllerRef)
        {
            return controllerRef.GetString("kind") == KindRegistry.Jobs.Kind && controllerRef.GetString("name") is { } name
                ? new ObjectKey(ns, name)
                : null;
        }
        return HasFinalizer(pod) && pod.GetLabels().TryGetValue(JobPods.JobNameLabel, out var jobName) ? new ObjectKey(ns, jobName) : null;
    }

    private bool IsCurrentOwner(JsonObject pod, ObjectKey key) =>
        OwnerReferences.GetControllerOf(pod)?.GetString("uid") is { } uid && _jobs.Lister.Get(key.Namespace, key.Name)?.GetUid() == uid;

    private static bool HasFinalizer(JsonObject pod) =>
        (pod.GetArray("metadata", "finalizers") ?? []).Any(f => f?.GetValue<string>() == JobPods.JobTrackingFinalizer);

    private void EnqueueMatching(JsonObject pod)
    {
        foreach (var job in _jobs.Lister.List(pod.GetNamespace()))
        {
            var selector = LabelSelector.FromLabelSelectorJson(job.GetObject("spec", "selector"));
            if (!selector.IsEmpty && selector.MatchesObject(pod))
            {
                Enqueue(job);
            }
        }
    }
}

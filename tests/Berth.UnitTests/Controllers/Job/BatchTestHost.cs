using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.CronJob;
using Berth.Controllers.Job;
using Berth.Controllers.TtlAfterFinished;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using GcController = Berth.Controllers.GarbageCollector.GarbageCollector;

namespace Berth.UnitTests.Controllers.Job;

/// <summary>
/// The batch controllers (Job, CronJob, TTL-after-finished, optionally the garbage collector) over the real registry
/// and an in-memory store, on a <see cref="FakeTimeProvider"/>. The "kubelet" is the test: <see cref="FinishPodAsync"/>
/// writes a terminal phase, <see cref="FinishTerminatingAsync"/> removes terminating pods.
/// </summary>
internal sealed class BatchTestHost : IAsyncDisposable
{
    public const string Ns = "default";

    /// <summary>The fake clock starts here: 30 s past a minute boundary.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 30, TimeSpan.Zero);

    private readonly InMemoryResourceStore _store = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];
    private readonly List<IDisposable> _controllers = [];

    public BatchTestHost()
    {
        FakeTime.SetUtcNow(Start);
        FakeTime.SetLocalTimeZone(TimeZoneInfo.Utc);
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), FakeTime);
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } }).GetAwaiter().GetResult();
        Informers = new SharedInformerFactory(Api, FakeTime, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider FakeTime { get; } = new();

    public ApiRegistry Api { get; }

    public SharedInformerFactory Informers { get; }

    public RecordingEventRecorder Events { get; } = new();

    public JobController? Jobs { get; private set; }

    public void Run(bool jobs = true, bool cronJobs = false, bool ttl = false, bool gc = false)
    {
        if (jobs)
        {
            Jobs = Add(new JobController(Informers, Api, Events, FakeTime, NullLogger<JobController>.Instance));
        }
        if (cronJobs)
        {
            Add(new CronJobController(Informers, Api, Events, FakeTime, NullLogger<CronJobController>.Instance));
        }
        if (ttl)
        {
            Add(new TtlAfterFinishedController(Informers, Api, FakeTime, NullLogger<TtlAfterFinishedController>.Instance));
        }
        if (gc)
        {
            Add(new GcController(Informers, Api, FakeTime, NullLogger<GcController>.Instance));
        }
        Informers.Start(_stop.Token);
    }

    private T Add<T>(T controller)
        where T : Berth.Controllers.ControllerBase
    {
        _controllers.Add(controller);
        _runs.Add(controller.RunAsync(1, _stop.Token));
        return controller;
    }

    /// <summary>Polls for up to 20 s, advancing the fake clock by <paramref name="step"/> (default 20 ms) per poll.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string? because = null, TimeSpan? step = null) =>
        AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            FakeTime.Advance(step ?? TimeSpan.FromMilliseconds(20));
            return await condition();
        }, TimeSpan.FromSeconds(20), because);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind) => (await Api.ListAsync(kind, Ns)).Items;

    public Task<JsonObject> GetAsync(ResourceKind kind, string name) => Api.GetAsync(kind, Ns, name);

    public async Task<bool> ExistsAsync(ResourceKind kind, string name)
    {
        try
        {
            await Api.GetAsync(kind, Ns, name);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Pods neither finished nor being deleted.</summary>
    public async Task<IReadOnlyList<JsonObject>> ActivePodsAsync() =>
        [.. (await ListAsync(KindRegistry.Pods)).Where(p => p.GetString("metadata", "deletionTimestamp") is null &&
            p.GetString("status", "phase") is not ("Succeeded" or "Failed"))];

    /// <summary>Writes phase Succeeded (exit 0) or Failed (exit 1) with a terminated container, finished now.</summary>
    public async Task FinishPodAsync(JsonObject pod, bool succeeded)
    {
        pod = await Api.GetAsync(KindRegistry.Pods, Ns, pod.GetName()!);
        var now = FakeTime.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        pod.SetPath(succeeded ? "Succeeded" : "Failed", "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject
        {
            ["name"] = "c", ["image"] = "busybox", ["imageID"] = "", ["ready"] = false, ["restartCount"] = 0,
            ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = succeeded ? 0 : 1, ["finishedAt"] = now } },
        }), "status", "containerStatuses");
        await Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
    }

    /// <summary>Writes Running with the given container restart count (an OnFailure pod restarted in place).</summary>
    public async Task SetRestartsAsync(JsonObject pod, int restarts)
    {
        pod = await Api.GetAsync(KindRegistry.Pods, Ns, pod.GetName()!);
        pod.SetPath("Running", "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject
        {
            ["name"] = "c", ["image"] = "busybox", ["imageID"] = "", ["ready"] = false, ["restartCount"] = restarts,
            ["state"] = new JsonObject { ["running"] = new JsonObject() },
        }), "status", "containerStatuses");
        await Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
    }

    /// <summary>Deletes terminating pods for good (grace 0), as the kubelet does once their containers stopped.</summary>
    public async Task FinishTerminatingAsync()
    {
        foreach (var pod in await ListAsync(KindRegistry.Pods))
        {
            if (pod.GetString("metadata", "deletionTimestamp") is not null)
            {
                try
                {
                    await Api.DeleteAsync(KindRegistry.Pods, Ns, pod.GetName()!, new DeleteOptions(GracePeriodSeconds: 0));
                }
                catch (ApiException e) when (e.Code == 404)
                {
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs).DefaultTimeout();
        await Informers.DisposeAsync();
        _controllers.ForEach(c => c.Dispose());
        _stop.Dispose();
        await _store.DisposeAsync();
    }
}

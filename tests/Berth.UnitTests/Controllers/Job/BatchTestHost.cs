using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Controllers.CronJob;
using Berth.Controllers.Job;
using Berth.Controllers.TtlAfterFinished;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using GcController = Berth.Controllers.GarbageCollector.GarbageCollector;

namespace Berth.UnitTests.Controllers.Job;

/// <summary>
/// The batch controllers (Job, CronJob, TTL-after-finished, optionally the garbage collector) over the real registry
/// and an in-memory store, on a <see cref="FakeTimeProvider"/>. The "kubelet" is the test: <see cref="FinishPodAsync"/>
/// writes a terminal phase, <see cref="FinishTerminatingAsync"/> removes terminating pods.
/// </summary>
internal sealed class BatchTestHost() : ControllerHostBase(CreateClock())
{
    /// <summary>The fake clock starts here: 30 s past a minute boundary.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 30, TimeSpan.Zero);

    public new FakeTimeProvider FakeTime => base.FakeTime!;

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
        StartInformers();
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

    /// <summary>Writes phase Failed with container <c>c</c> terminated by <paramref name="exitCode"/>, plus the pod conditions given.</summary>
    public async Task FailPodAsync(JsonObject pod, int exitCode, params JsonObject[] conditions)
    {
        pod = await Api.GetAsync(KindRegistry.Pods, Ns, pod.GetName()!);
        var now = FakeTime.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        pod.SetPath("Failed", "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject
        {
            ["name"] = "c", ["image"] = "busybox", ["imageID"] = "", ["ready"] = false, ["restartCount"] = 0,
            ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exitCode, ["finishedAt"] = now } },
        }), "status", "containerStatuses");
        pod.SetPath(new JsonArray([.. conditions]), "status", "conditions");
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

    private static FakeTimeProvider CreateClock()
    {
        var clock = new FakeTimeProvider(Start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }
}

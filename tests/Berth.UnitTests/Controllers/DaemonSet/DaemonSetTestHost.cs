using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Controllers.DaemonSet;
using Berth.Controllers.Scheduling;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.DaemonSet;

/// <summary>
/// The DaemonSet controller (and optionally the scheduler) over the real registry and an in-memory store. The
/// "kubelet" is the test: <see cref="MarkPodReadyAsync"/>, <see cref="MarkPodFailedAsync"/>. Daemon pods stay unbound
/// unless the scheduler runs, so their deletes are immediate. With a <see cref="FakeTimeProvider"/>, each poll of a
/// wait advances the clock 20 ms so that queue backoff and requeues fire.
/// </summary>
internal sealed class DaemonSetTestHost(FakeTimeProvider? fakeTime = null) : ControllerHostBase(fakeTime)
{
    public DaemonSetController? Controller { get; private set; }

    public void Run(bool scheduler = false)
    {
        Controller = Add(new DaemonSetController(Informers, Api, Events, Time, NullLogger<DaemonSetController>.Instance));
        if (scheduler)
        {
            Add(new Scheduler(Informers, Api, new RecordingEventRecorder(), Time, NullLogger<Scheduler>.Instance));
        }
        StartInformers();
    }

    /// <summary>A Ready node labelled with its hostname (plus <paramref name="labels"/>) with room for 110 pods.</summary>
    public Task<JsonObject> CreateNodeAsync(string name, JsonObject? labels = null, JsonArray? taints = null, bool unschedulable = false)
    {
        labels ??= [];
        labels["kubernetes.io/hostname"] = name;
        return Api.CreateAsync(KindRegistry.Nodes, null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject { ["unschedulable"] = unschedulable, ["taints"] = taints ?? [] },
            ["status"] = new JsonObject
            {
                ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
                ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        });
    }

    /// <summary>Read-modify-write of a node (labels, taints), retried on conflict.</summary>
    public Task UpdateNodeAsync(string name, Action<JsonObject> mutate) => ConflictRetry.RetryOnConflictAsync(async () =>
    {
        var node = await Api.GetAsync(KindRegistry.Nodes, null, name);
        mutate(node);
        await Api.UpdateAsync(KindRegistry.Nodes, null, node);
    });

    /// <summary>Read-modify-write of a DaemonSet's spec, retried on conflict.</summary>
    public Task UpdateDaemonSetAsync(string name, Action<JsonObject> mutate) => ConflictRetry.RetryOnConflictAsync(async () =>
    {
        var ds = await Api.GetAsync(KindRegistry.DaemonSets, Ns, name);
        mutate(ds);
        await Api.UpdateAsync(KindRegistry.DaemonSets, Ns, ds);
    });

    public Task<JsonObject> DaemonSetAsync(string name) => Api.GetAsync(KindRegistry.DaemonSets, Ns, name);

    public async Task<long> StatusAsync(string ds, string field) => (await DaemonSetAsync(ds)).GetLong("status", field) ?? 0;

    public async Task<IReadOnlyList<JsonObject>> PodsAsync() => (await Api.ListAsync(KindRegistry.Pods, Ns)).Items;

    /// <summary>Pods not being deleted, by target node (bound node, else the affinity's node name).</summary>
    public async Task<ILookup<string, JsonObject>> ActivePodsByNodeAsync() =>
        (await PodsAsync()).Where(p => p.GetString("metadata", "deletionTimestamp") is null).ToLookup(TargetNode);

    public static string TargetNode(JsonObject pod) =>
        pod.GetString("spec", "nodeName") is { Length: > 0 } bound ? bound
            : pod.GetArray("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")?[0]?
                ["matchFields"]?[0]?["values"]?[0]?.GetValue<string>() ?? "";

    public static string? HashOf(JsonObject pod) => pod.GetString("metadata", "labels", DaemonSetUtil.ControllerRevisionHashLabel);

    /// <summary>Writes phase Running and Ready=True (transition now) into the pod's status.</summary>
    public Task MarkPodReadyAsync(JsonObject pod) => WriteStatusAsync(pod, "Running", new JsonArray(new JsonObject
    {
        ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = Now(),
    }));

    public Task MarkPodFailedAsync(JsonObject pod) => WriteStatusAsync(pod, "Failed", new JsonArray(new JsonObject
    {
        ["type"] = "Ready", ["status"] = "False", ["lastTransitionTime"] = Now(),
    }));

    /// <summary>Marks every active pod that is not Running ready; returns how many it marked.</summary>
    public async Task<int> MarkAllReadyAsync()
    {
        var marked = 0;
        foreach (var pod in (await PodsAsync()).Where(p => p.GetString("metadata", "deletionTimestamp") is null && p.GetString("status", "phase") != "Running"))
        {
            await MarkPodReadyAsync(pod);
            marked++;
        }
        return marked;
    }

    private async Task WriteStatusAsync(JsonObject pod, string phase, JsonArray conditions)
    {
        pod = ApiJson.Clone(pod);
        pod.SetPath(phase, "status", "phase");
        pod.SetPath(conditions, "status", "conditions");
        try
        {
            await Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
        }
        catch (ApiException e) when (e.Code == 409)
        {
            await WriteStatusAsync(await Api.GetAsync(KindRegistry.Pods, Ns, pod.GetName()!), phase, conditions);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted meanwhile (a rolling update moved on): nothing to mark.
        }
    }

    private string Now() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

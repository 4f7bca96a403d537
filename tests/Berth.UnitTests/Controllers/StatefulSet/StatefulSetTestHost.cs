using System.Text.Json.Nodes;
using Berth.Controllers.StatefulSet;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.UnitTests.Controllers.ReplicaSet;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.Controllers.ReplicaSet.WorkloadObjects;

namespace Berth.UnitTests.Controllers.StatefulSet;

/// <summary>
/// The StatefulSet controller over <see cref="WorkloadTestHost"/> (real registry, in-memory store). The test plays
/// the kubelet: <see cref="WorkloadTestHost.MarkPodReadyAsync"/> and <see cref="FinishTerminatingAsync(string)"/>.
/// </summary>
internal sealed class StatefulSetTestHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StatefulSetController _controller;
    private readonly Task _run;

    public StatefulSetTestHost()
    {
        _controller = new StatefulSetController(Host.Informers, Host.Api, Host.Events, Host.Time, NullLogger<StatefulSetController>.Instance);
        Host.Run(replicaSets: false);
        _run = _controller.RunAsync(1, _stop.Token);
    }

    public WorkloadTestHost Host { get; } = new();

    public static JsonObject NewStatefulSet(string name, int replicas, string policy = "OrderedReady", JsonObject? updateStrategy = null,
        int? historyLimit = null)
    {
        var spec = new JsonObject
        {
            ["replicas"] = replicas, ["serviceName"] = name, ["podManagementPolicy"] = policy,
            ["selector"] = Selector(name), ["template"] = Template(name),
        };
        if (updateStrategy is not null)
        {
            spec["updateStrategy"] = updateStrategy;
        }
        if (historyLimit is not null)
        {
            spec["revisionHistoryLimit"] = historyLimit;
        }
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = WorkloadTestHost.Ns },
            ["spec"] = spec,
        };
    }

    public Task<JsonObject> CreateAsync(JsonObject set) => Host.Api.CreateAsync(KindRegistry.StatefulSets, WorkloadTestHost.Ns, set);

    /// <summary>Read-modify-write of the set's spec, retried when the controller's status write got in between.</summary>
    public Task UpdateSpecAsync(string name, Action<JsonObject> mutate) => ConflictRetry.RetryOnConflictAsync(async () =>
    {
        var set = await Host.GetAsync(KindRegistry.StatefulSets, name);
        mutate(set.GetObject("spec")!);
        await Host.Api.UpdateAsync(KindRegistry.StatefulSets, WorkloadTestHost.Ns, set);
    });

    public async Task<long> StatusAsync(string name, string field) => (await Host.GetAsync(KindRegistry.StatefulSets, name)).GetLong("status", field) ?? 0;

    public async Task<string?> StatusStringAsync(string name, string field) => (await Host.GetAsync(KindRegistry.StatefulSets, name)).GetString("status", field);

    /// <summary>Names of the pods that exist and are not terminating, sorted.</summary>
    public async Task<IReadOnlyList<string>> ActiveNamesAsync() => [.. (await Host.ActivePodsAsync()).Select(p => p.GetName()!).Order(StringComparer.Ordinal)];

    public async Task<JsonObject?> PodAsync(string name) =>
        await Host.ExistsAsync(KindRegistry.Pods, name) ? await Host.GetAsync(KindRegistry.Pods, name) : null;

    /// <summary>Waits for the pod to exist and marks it Running and Ready.</summary>
    public async Task MakeReadyAsync(string pod)
    {
        await Host.WaitUntilAsync(async () => await PodAsync(pod) is { } p && p.GetString("metadata", "deletionTimestamp") is null, $"{pod} created");
        await Host.MarkPodReadyAsync((await PodAsync(pod))!);
    }

    /// <summary>Ends the grace period of one terminating pod, as the kubelet does once its containers stopped.</summary>
    public async Task FinishTerminatingAsync(string pod)
    {
        try
        {
            await Host.Api.DeleteAsync(KindRegistry.Pods, WorkloadTestHost.Ns, pod, new DeleteOptions(GracePeriodSeconds: 0));
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    /// <summary>Creates a ready set of <paramref name="replicas"/> pods, readying them one by one in ordinal order.</summary>
    public async Task CreateReadyAsync(JsonObject set)
    {
        await CreateAsync(set);
        var name = set.GetName()!;
        for (var i = 0; i < set.GetLong("spec", "replicas"); i++)
        {
            await MakeReadyAsync($"{name}-{i}");
        }
        await Host.WaitUntilAsync(async () => await StatusAsync(name, "readyReplicas") == set.GetLong("spec", "replicas"), "all ready");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.DefaultTimeout();
        await Host.DisposeAsync();
        _controller.Dispose();
        _stop.Dispose();
    }
}

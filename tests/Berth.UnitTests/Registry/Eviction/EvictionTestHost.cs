using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Registry.Eviction;

/// <summary>
/// The real registry (default strategies) over an in-memory store and a fake clock, with helpers that put pods and
/// budgets into the states the eviction subresource decides on. The budget's status is written by the test, standing
/// in for the disruption controller.
/// </summary>
internal sealed class EvictionTestHost : IAsyncDisposable
{
    public const string Ns = "default";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    public EvictionTestHost(Func<IResourceStore, IResourceStore>? decorate = null)
    {
        var store = new InMemoryResourceStore();
        Store = decorate?.Invoke(store) ?? store;
        Api = new ApiRegistry(Store, StrategyCatalog.CreateDefault(), Time);
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } }).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public IResourceStore Store { get; }

    public ApiRegistry Api { get; }

    /// <summary>A pod labelled app=web on node-a in <paramref name="phase"/>, Ready when <paramref name="ready"/>.</summary>
    public async Task<JsonObject> CreatePodAsync(string name, string phase = "Running", bool ready = true)
    {
        var pod = await Api.CreateAsync(KindRegistry.Pods, Ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "web" } },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "node-a", ["terminationGracePeriodSeconds"] = 3,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox:1.36" }),
            },
        });
        pod.SetPath(phase, "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }), "status", "conditions");
        return await Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
    }

    /// <summary>A budget selecting app=web with <paramref name="spec"/> merged in, and the status the controller would write.</summary>
    public async Task<JsonObject> CreateBudgetAsync(string name, int allowed, int current = 2, int desired = 1, JsonObject? spec = null,
        long observedGeneration = 1, string? app = "web")
    {
        spec ??= new JsonObject { ["minAvailable"] = desired };
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } };
        var pdb = await Api.CreateAsync(KindRegistry.PodDisruptionBudgets, Ns, new JsonObject
        {
            ["apiVersion"] = "policy/v1", ["kind"] = "PodDisruptionBudget", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec,
        });
        pdb["status"] = new JsonObject
        {
            ["currentHealthy"] = current, ["desiredHealthy"] = desired, ["expectedPods"] = current, ["disruptionsAllowed"] = allowed,
            ["observedGeneration"] = observedGeneration,
        };
        return await Api.UpdateAsync(KindRegistry.PodDisruptionBudgets, Ns, pdb, "status");
    }

    public static JsonObject Eviction(string pod, JsonObject? deleteOptions = null)
    {
        var eviction = new JsonObject
        {
            ["apiVersion"] = "policy/v1", ["kind"] = "Eviction", ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = Ns },
        };
        if (deleteOptions is not null)
        {
            eviction["deleteOptions"] = deleteOptions;
        }
        return eviction;
    }

    public Task<WriteResult> EvictAsync(string pod, JsonObject? deleteOptions = null, bool dryRun = false) =>
        Api.CreateSubresourceAsync(KindRegistry.Pods, Ns, pod, "eviction", Eviction(pod, deleteOptions), new WriteOptions(DryRun: dryRun));

    public Task<JsonObject> GetAsync(ResourceKind kind, string name) => Api.GetAsync(kind, Ns, name);

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}

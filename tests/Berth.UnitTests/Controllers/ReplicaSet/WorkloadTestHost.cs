using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Deployment;
using GcController = Berth.Controllers.GarbageCollector.GarbageCollector;
using Berth.Controllers.ReplicaSet;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.ReplicaSet;

/// <summary>
/// The workload controllers (ReplicaSet, Deployment, garbage collector) over the real registry and an in-memory
/// store. With a <see cref="FakeTimeProvider"/>, waits advance the clock in small steps so that queue backoff fires.
/// The "kubelet" is the test: <see cref="MarkReadyAsync"/> and <see cref="FinishTerminatingAsync"/>.
/// </summary>
internal sealed class WorkloadTestHost : IAsyncDisposable
{
    public const string Ns = "default";

    private readonly InMemoryResourceStore _store = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];
    private readonly List<IDisposable> _controllers = [];

    public WorkloadTestHost(FakeTimeProvider? fakeTime = null)
    {
        FakeTime = fakeTime;
        Time = fakeTime ?? TimeProvider.System;
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), Time);
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } }).GetAwaiter().GetResult();
        Informers = new SharedInformerFactory(Api, Time, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider? FakeTime { get; }

    public TimeProvider Time { get; }

    public ApiRegistry Api { get; }

    public SharedInformerFactory Informers { get; }

    public RecordingEventRecorder Events { get; } = new();

    public ReplicaSetController? ReplicaSets { get; private set; }

    public GcController? Collector { get; private set; }

    public void Run(bool replicaSets = true, bool deployments = false, bool gc = false)
    {
        if (replicaSets)
        {
            ReplicaSets = Add(new ReplicaSetController(Informers, Api, Events, Time, NullLogger<ReplicaSetController>.Instance));
        }
        if (deployments)
        {
            Add(new DeploymentController(Informers, Api, Events, Time, NullLogger<DeploymentController>.Instance));
        }
        if (gc)
        {
            Collector = Add(new GcController(Informers, Api, Time, NullLogger<GcController>.Instance));
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

    /// <summary>
    /// Polls <paramref name="condition"/> for up to 30 s (a rollout is many writes, and a loaded machine stretches the
    /// queue backoff after conflicts); with a fake clock, advances it 20 ms per poll.
    /// </summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string? because = null) =>
        AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            FakeTime?.Advance(TimeSpan.FromMilliseconds(20));
            return await condition();
        }, TimeSpan.FromSeconds(30), because);

    public Task WaitUntilAsync(Func<bool> condition, string? because = null) => WaitUntilAsync(() => Task.FromResult(condition()), because);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? labelSelector = null) =>
        (await Api.ListAsync(kind, Ns, new ListOptions(LabelSelector: labelSelector))).Items;

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

    /// <summary>Pods not being deleted.</summary>
    public async Task<IReadOnlyList<JsonObject>> ActivePodsAsync(string? labelSelector = null) =>
        [.. (await ListAsync(KindRegistry.Pods, labelSelector)).Where(p => p.GetString("metadata", "deletionTimestamp") is null)];

    /// <summary>Running and Ready=True since now, for every active pod that is not ready yet.</summary>
    public async Task MarkReadyAsync(string? labelSelector = null)
    {
        foreach (var pod in await ActivePodsAsync(labelSelector))
        {
            if (pod.GetString("status", "phase") != "Running")
            {
                await MarkPodReadyAsync(pod);
            }
        }
    }

    /// <summary>Writes phase Running and Ready=True (transition now) into the pod's status.</summary>
    public async Task MarkPodReadyAsync(JsonObject pod)
    {
        pod = ApiJson.Clone(pod);
        pod.SetPath("Running", "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject
        {
            ["type"] = "Ready", ["status"] = "True",
            ["lastTransitionTime"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }), "status", "conditions");
        try
        {
            await Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
        }
        catch (ApiException e) when (e.Code == 409)
        {
            await MarkPodReadyAsync(await Api.GetAsync(KindRegistry.Pods, Ns, pod.GetName()!));
        }
    }

    /// <summary>Deletes terminating pods for good, as the kubelet does when their containers stopped.</summary>
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

using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Scheduling;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.Scheduling;

/// <summary>A running <see cref="Scheduler"/> over the real registry (in-memory store, default strategies) and a fake clock.</summary>
internal sealed class SchedulerTestHost : IAsyncDisposable
{
    private readonly InMemoryResourceStore _store = new();
    private readonly SharedInformerFactory _informers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public SchedulerTestHost()
    {
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), Time);
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }).GetAwaiter().GetResult();
        _informers = new SharedInformerFactory(Api, Time, NullLoggerFactory.Instance);
        Scheduler = new Scheduler(_informers, Api, Events, Time, NullLogger<Scheduler>.Instance);
        _informers.Start(_stop.Token);
        _run = Scheduler.RunAsync(1, _stop.Token);
    }

    public CountingTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));

    public ApiRegistry Api { get; }

    public RecordingEventRecorder Events { get; } = new();

    public Scheduler Scheduler { get; }

    /// <summary>
    /// Creates a Ready node and returns once the scheduler's node informer holds it. Without that wait, a pod created
    /// next can reach the scheduler first ("0/0 nodes are available"), and its back-off only ends on a running clock.
    /// </summary>
    public async Task<JsonObject> CreateNodeAsync(string name, string cpu = "4", string memory = "8Gi", bool unschedulable = false, JsonArray? taints = null)
    {
        var node = await Api.CreateAsync(KindRegistry.Nodes, null, NewNode(name, cpu, memory, unschedulable, taints));
        await AsyncTestHelpers.WaitUntilAsync(() => _informers.InformerFor(KindRegistry.Nodes).Lister.Get(null, name) is not null,
            because: $"the scheduler's informer sees node {name}");
        return node;
    }

    private static JsonObject NewNode(string name, string cpu, string memory, bool unschedulable, JsonArray? taints) =>
        new()
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
            ["spec"] = new JsonObject { ["unschedulable"] = unschedulable, ["taints"] = taints ?? [] },
            ["status"] = new JsonObject
            {
                ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = "110" },
                ["capacity"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = "110" },
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        };

    public Task<JsonObject> CreatePodAsync(string name, string? cpu = null, string? schedulerName = null, string? node = null)
    {
        var container = new JsonObject { ["name"] = "c", ["image"] = "busybox" };
        if (cpu is not null)
        {
            container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu } };
        }
        var spec = new JsonObject { ["containers"] = new JsonArray(container) };
        if (schedulerName is not null)
        {
            spec["schedulerName"] = schedulerName;
        }
        if (node is not null)
        {
            spec["nodeName"] = node;
        }
        return Api.CreateAsync(KindRegistry.Pods, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec });
    }

    public Task<JsonObject> PodAsync(string name) => Api.GetAsync(KindRegistry.Pods, "default", name);

    public async Task<string?> NodeOfAsync(string name) => (await PodAsync(name)).GetString("spec", "nodeName");

    /// <summary>
    /// Waits for <paramref name="condition"/>, advancing the fake clock a second per poll so that pod back-offs (which
    /// grow with every retry a late informer notification triggers) can run out.
    /// </summary>
    public Task WaitWhileClockRunsAsync(Func<Task<bool>> condition) =>
        AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            if (await condition())
            {
                return true;
            }
            Time.Advance(TimeSpan.FromSeconds(1));
            return false;
        });

    public IReadOnlyList<RecordedEvent> EventsFor(string pod, string reason) =>
        [.. Events.Events.Where(e => e.Object.Name == pod && e.Reason == reason)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.DefaultTimeout();
        await _informers.DisposeAsync();
        Scheduler.Dispose();
        _stop.Dispose();
        await _store.DisposeAsync();
    }
}

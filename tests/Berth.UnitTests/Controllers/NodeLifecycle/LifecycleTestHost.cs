using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.NodeLifecycle;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.NodeLifecycle;

/// <summary>The node lifecycle and taint eviction controllers running over the real registry on a fake clock.</summary>
internal sealed class LifecycleTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 7, 8, 9, 10, 11, TimeSpan.Zero);

    private readonly InMemoryResourceStore _store = new();
    private readonly SharedInformerFactory _informers;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];
    private readonly NodeLifecycleController _lifecycle;
    private readonly TaintEvictionController _eviction;

    public LifecycleTestHost()
    {
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), Time);
        foreach (var ns in (string[])["default", NodeLifecycleController.NodeLeaseNamespace])
        {
            Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }).GetAwaiter().GetResult();
        }
        _informers = new SharedInformerFactory(Api, Time, NullLoggerFactory.Instance);
        _lifecycle = new NodeLifecycleController(_informers, Api, Events, Time, NullLogger<NodeLifecycleController>.Instance);
        _eviction = new TaintEvictionController(_informers, Api, Events, Time, NullLogger<TaintEvictionController>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public ApiRegistry Api { get; }

    public SharedInformerFactory Informers => _informers;

    public RecordingEventRecorder Events { get; } = new();

    /// <summary>Waits until the node lifecycle controller has seen <paramref name="node"/> alive at the current fake time.</summary>
    public Task WaitForProbeAsync(string node) =>
        AsyncTestHelpers.WaitUntilAsync(() => _lifecycle.ProbeTimestamp(node) == Time.GetUtcNow());

    /// <summary>Waits until the taint eviction controller runs a countdown for pod <paramref name="name"/>.</summary>
    public Task WaitForScheduledEvictionAsync(string name) =>
        AsyncTestHelpers.WaitUntilAsync(() => _eviction.IsEvictionScheduled(new Berth.Machinery.Meta.ObjectKey("default", name)));

    public void Run(bool lifecycle = true, bool eviction = true)
    {
        _informers.Start(_stop.Token);
        if (lifecycle)
        {
            _runs.Add(_lifecycle.RunAsync(1, _stop.Token));
        }
        if (eviction)
        {
            _runs.Add(_eviction.RunAsync(1, _stop.Token));
        }
    }

    /// <summary>A node posting Ready=True now, with its lease renewed now.</summary>
    public async Task<JsonObject> CreateHealthyNodeAsync(string name, JsonArray? taints = null)
    {
        var now = Scheduling.MetaTimesForTests.Format(Time.GetUtcNow());
        var node = await Api.CreateAsync(KindRegistry.Nodes, null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["taints"] = taints ?? [] },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Ready", "True", now), Condition("MemoryPressure", "False", now)) },
        });
        await RenewLeaseAsync(name);
        return node;
    }

    public static JsonObject Condition(string type, string status, string heartbeat) => new()
    {
        ["type"] = type, ["status"] = status, ["lastHeartbeatTime"] = heartbeat, ["lastTransitionTime"] = heartbeat, ["reason"] = "Kubelet", ["message"] = "m",
    };

    public async Task RenewLeaseAsync(string name)
    {
        var renew = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var lease = await Api.GetAsync(KindRegistry.Leases, NodeLifecycleController.NodeLeaseNamespace, name);
            lease.SetPath(renew, "spec", "renewTime");
            await Api.UpdateAsync(KindRegistry.Leases, NodeLifecycleController.NodeLeaseNamespace, lease);
        }
        catch (Berth.Machinery.Errors.ApiException e) when (e.Code == 404)
        {
            await Api.CreateAsync(KindRegistry.Leases, NodeLifecycleController.NodeLeaseNamespace, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject { ["holderIdentity"] = name, ["leaseDurationSeconds"] = 40, ["renewTime"] = renew },
            });
        }
    }

    /// <summary>A pod bound to <paramref name="node"/> with Ready=True (and the default 300 s not-ready/unreachable tolerations).</summary>
    public async Task<JsonObject> CreateRunningPodAsync(string name, string? node, JsonArray? tolerations = null)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }),
        };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }
        if (tolerations is not null)
        {
            spec["tolerations"] = tolerations;
        }
        var pod = await Api.CreateAsync(KindRegistry.Pods, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec });
        pod.SetPath("Running", "status", "phase");
        pod.SetPath(new JsonArray(Condition("Ready", "True", Scheduling.MetaTimesForTests.Format(Time.GetUtcNow()))), "status", "conditions");
        return await Api.UpdateAsync(KindRegistry.Pods, "default", pod, "status");
    }

    /// <summary>Binds an unassigned pod through <c>pods/binding</c>, as the scheduler does.</summary>
    public Task<JsonObject> BindAsync(string pod, string node) =>
        Api.CreateAsync(KindRegistry.Pods, "default", pod, "binding", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = pod },
            ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
        });

    public Task<JsonObject> NodeAsync(string name) => Api.GetAsync(KindRegistry.Nodes, null, name);

    public Task<JsonObject> PodAsync(string name) => Api.GetAsync(KindRegistry.Pods, "default", name);

    public static JsonObject? ConditionOf(JsonObject obj, string type) =>
        (obj.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    public static IReadOnlyList<string> TaintsOf(JsonObject node) =>
        [.. (node.GetArray("spec", "taints") ?? []).OfType<JsonObject>().Select(t => $"{t.GetString("key")}:{t.GetString("effect")}").Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs).DefaultTimeout();
        await _informers.DisposeAsync();
        _lifecycle.Dispose();
        _eviction.Dispose();
        _stop.Dispose();
        await _store.DisposeAsync();
    }
}

using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client;

/// <summary>The client pieces against the real <see cref="ApiRegistry"/> (in-memory store, default strategies), not the fake.</summary>
public sealed class RealRegistryTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 22, 0, 0, TimeSpan.Zero));
    private readonly InMemoryResourceStore _store = new(new StoreOptions());
    private readonly ApiRegistry _api;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];

    public RealRegistryTests() => _api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), _time);

    [Fact]
    public async Task SharedInformer_NodeNameFieldSelector_FollowsCreatesAndDeletesOnTheNode()
    {
        await _api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        await _api.CreateAsync(KindRegistry.Pods, "default", ClientTestObjects.Pod("default", "bound", nodeName: "n1"));
        await _api.CreateAsync(KindRegistry.Pods, "default", ClientTestObjects.Pod("default", "pending"));
        var informer = new SharedInformer(_api, KindRegistry.Pods,
            new InformerOptions(ListOptions: new ListOptions(FieldSelector: "spec.nodeName=n1")), _time, NullLoggerFactory.Instance);
        var handler = new Informers.RecordingHandler();
        informer.AddEventHandler(handler);
        _runs.Add(Task.Run(() => informer.RunAsync(_stop.Token)));
        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        Assert.Single(informer.Lister.List());

        await _api.CreateAsync(KindRegistry.Pods, "default", ClientTestObjects.Pod("default", "late", nodeName: "n1"));
        await _api.CreateAsync(KindRegistry.Pods, "default", ClientTestObjects.Pod("default", "other", nodeName: "n2"));
        await AsyncTestHelpers.WaitUntilAsync(() => informer.Lister.List().Count == 2);
        await _api.DeleteAsync(KindRegistry.Pods, "default", "bound", new DeleteOptions(GracePeriodSeconds: 0));

        await AsyncTestHelpers.WaitUntilAsync(() => informer.Lister.Get("default", "bound") is null);
        Assert.Contains("add*:bound", handler.Calls);
        Assert.Contains("add:late", handler.Calls);
        Assert.DoesNotContain(handler.Calls, c => c.EndsWith(":pending", StringComparison.Ordinal) || c.EndsWith(":other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EventBroadcaster_RepeatedEvent_IsCreatedThenCountedUp()
    {
        await _api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        var pod = await _api.CreateAsync(KindRegistry.Pods, "default", ClientTestObjects.Pod("default", "web", nodeName: "n1"));
        var broadcaster = new EventBroadcaster(_api, _time, NullLogger<EventBroadcaster>.Instance);
        _runs.Add(Task.Run(() => broadcaster.RunAsync(_stop.Token)));
        var recorder = broadcaster.NewRecorder(new EventSource("kubelet", "n1"));

        recorder.Event(pod, EventTypes.Normal, "Killing", "Stopping container app", "spec.containers{app}");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await _api.ListAsync(KindRegistry.Events, "default")).Items.Count == 1);
        _time.Advance(TimeSpan.FromSeconds(3));
        recorder.Event(pod, EventTypes.Normal, "Killing", "Stopping container app", "spec.containers{app}");

        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await _api.ListAsync(KindRegistry.Events, "default")).Items.SingleOrDefault()?.GetLong("count") == 2);
        var ev = (await _api.ListAsync(KindRegistry.Events, "default")).Items.Single();
        Assert.Equal(pod.GetUid(), ev.GetString("involvedObject", "uid"));
        Assert.Equal("2026-11-27T22:00:03Z", ev.GetString("lastTimestamp"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs).DefaultTimeout();
        await _store.DisposeAsync();
        _stop.Dispose();
    }
}

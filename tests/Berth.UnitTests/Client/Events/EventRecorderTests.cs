using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Events;

public sealed class EventRecorderTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 22, 48, 10, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeApiClient _api;
    private readonly FakeLogger<EventBroadcaster> _logger = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public EventRecorderTests() => _api = new FakeApiClient(_time);

    [Fact]
    public async Task Event_FirstOccurrence_CreatesEventWithUpstreamFields()
    {
        var recorder = StartBroadcaster().NewRecorder(new EventSource("kubelet", "node1"));
        var pod = PodObject();

        recorder.Event(pod, EventTypes.Normal, "Killing", "Stopping container web", "spec.containers{web}");

        var ev = await SingleEventAsync();
        var nanos = (Start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.Equal($"web-1.{nanos:x}", ev.GetName());
        Assert.Equal(16, ev.GetName()!.Split('.')[1].Length);
        Assert.Equal("default", ev.GetNamespace());
        Assert.Equal("Pod", ev.GetString("involvedObject", "kind"));
        Assert.Equal("uid-1", ev.GetString("involvedObject", "uid"));
        Assert.Equal("v1", ev.GetString("involvedObject", "apiVersion"));
        Assert.Equal("3", ev.GetString("involvedObject", "resourceVersion"));
        Assert.Equal("spec.containers{web}", ev.GetString("involvedObject", "fieldPath"));
        Assert.Equal("kubelet", ev.GetString("source", "component"));
        Assert.Equal("node1", ev.GetString("source", "host"));
        Assert.Equal("kubelet", ev.GetString("reportingComponent"));
        Assert.Equal("node1", ev.GetString("reportingInstance"));
        Assert.Equal("2026-11-27T22:48:10Z", ev.GetString("firstTimestamp"));
        Assert.Equal(1, ev.GetLong("count"));
        Assert.Equal("Normal", ev.GetString("type"));
        Assert.Equal("Killing", ev.GetString("reason"));
        Assert.Equal("Stopping container web", ev.GetString("message"));
    }

    [Fact]
    public async Task Event_RepeatedIdentically_PatchesCountAndLastTimestamp()
    {
        var recorder = StartBroadcaster().NewRecorder(new EventSource("kubelet", "node1"));

        recorder.Eventf(PodObject(), EventTypes.Warning, "BackOff", "Back-off restarting failed container {0}", "web");
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("create", KindRegistry.Events) == 1);
        _time.Advance(TimeSpan.FromSeconds(10));
        recorder.Eventf(PodObject(), EventTypes.Warning, "BackOff", "Back-off restarting failed container {0}", "web");
        _time.Advance(TimeSpan.FromSeconds(10));
        recorder.Eventf(PodObject(), EventTypes.Warning, "BackOff", "Back-off restarting failed container {0}", "web");
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("patch", KindRegistry.Events) == 2);

        var ev = await SingleEventAsync();
        Assert.Equal(3, ev.GetLong("count"));
        Assert.Equal("2026-11-27T22:48:10Z", ev.GetString("firstTimestamp"));
        Assert.Equal("2026-11-27T22:48:30Z", ev.GetString("lastTimestamp"));
        Assert.Equal("Back-off restarting failed container web", ev.GetString("message"));
    }

    [Fact]
    public async Task Event_RepeatAfterTheEventWasDeleted_CreatesItAgain()
    {
        var recorder = StartBroadcaster().NewRecorder(new EventSource("kubelet"));
        recorder.Event(PodObject(), EventTypes.Normal, "Pulled", "image present");
        var first = await SingleEventAsync();
        await _api.DeleteAsync(KindRegistry.Events, "default", first.GetName()!);

        recorder.Event(PodObject(), EventTypes.Normal, "Pulled", "image present");

        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("create", KindRegistry.Events) == 2);
        var again = await SingleEventAsync();
        Assert.Equal(first.GetName(), again.GetName());
        Assert.Equal(2, again.GetLong("count"));
    }

    [Fact]
    public async Task Event_ClusterScopedObjectAndInvalidType_DefaultNamespaceAndDrop()
    {
        var recorder = StartBroadcaster().NewRecorder(new EventSource("kubelet", "node1"));
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "node1", ["uid"] = "n-uid" } };

        recorder.Event(node, "Bogus", "Starting", "ignored");
        recorder.Event(node, EventTypes.Normal, "Starting", "Starting kubelet.");

        var ev = await SingleEventAsync();
        Assert.Equal("default", ev.GetNamespace());
        Assert.Equal("Starting", ev.GetString("reason"));
        Assert.Null(ev.GetString("involvedObject", "namespace"));
    }

    [Fact]
    public async Task Event_CreateConflictsOnce_IsRetriedAfterTheRetryInterval()
    {
        var failures = 0;
        _api.Interceptor = a => a.Verb == "create" && Interlocked.Increment(ref failures) == 1
            ? ApiErrors.Conflict(KindRegistry.Events, "x") : null;
        var recorder = StartBroadcaster().NewRecorder(new EventSource("kubelet"));

        recorder.Event(PodObject(), EventTypes.Normal, "Pulled", "image present");

        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return _api.CountActions("create", KindRegistry.Events) == 2;
        });
        Assert.Equal(1, (await SingleEventAsync()).GetLong("count"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1403);
    }

    [Fact]
    public async Task Event_QueueFull_DropsWithoutBlocking()
    {
        var broadcaster = new EventBroadcaster(_api, _time, _logger, new EventBroadcasterOptions { QueueCapacity = 2 });
        var recorder = broadcaster.NewRecorder(new EventSource("kubelet"));

        for (var i = 0; i < 5; i++)
        {
            recorder.Event(PodObject(), EventTypes.Normal, "Pulled", $"image {i}");
        }

        Assert.Equal(3, _logger.Collector.GetSnapshot().Count(r => r.Id.Id == 1401));
        _run = broadcaster.RunAsync(_stop.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("create", KindRegistry.Events) == 2);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.DefaultTimeout();
        }
        _stop.Dispose();
    }

    private EventBroadcaster StartBroadcaster()
    {
        var broadcaster = new EventBroadcaster(_api, _time, _logger);
        _run = Task.Run(() => broadcaster.RunAsync(_stop.Token));
        return broadcaster;
    }

    private async Task<JsonObject> SingleEventAsync()
    {
        ApiList? list = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            list = await _api.ListAsync(KindRegistry.Events, null);
            return list.Items.Count == 1;
        });
        return list!.Items[0];
    }

    private static JsonObject PodObject() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = "web-1", ["namespace"] = "default", ["uid"] = "uid-1", ["resourceVersion"] = "3" },
    };
}

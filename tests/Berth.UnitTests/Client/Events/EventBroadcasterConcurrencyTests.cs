using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Events;

/// <summary>Events about different objects are written concurrently; events about one object stay in order.</summary>
public sealed class EventBroadcasterConcurrencyTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));
    private readonly GatedEventApiClient _api;
    private readonly CancellationTokenSource _stop = new();
    private readonly IEventRecorder _recorder;
    private readonly Task _run;

    public EventBroadcasterConcurrencyTests()
    {
        _api = new GatedEventApiClient(new FakeApiClient(_time));
        var broadcaster = new EventBroadcaster(_api, _time, NullLogger<EventBroadcaster>.Instance);
        _recorder = broadcaster.NewRecorder(new EventSource("kubelet", "node1"));
        _run = Task.Run(() => broadcaster.RunAsync(_stop.Token));
    }

    [Fact]
    public async Task RunAsync_WriteAboutOneObjectHeld_OtherObjectsStillWritten()
    {
        _api.Hold("web-a");
        _recorder.Event(Pod("web-a"), EventTypes.Normal, "Pulled", "image present");
        _recorder.Event(Pod("web-b"), EventTypes.Normal, "Pulled", "image present");

        await AsyncTestHelpers.WaitUntilAsync(() => _api.Created.Contains("web-b/Pulled"), because: "web-a's held write must not hold up web-b's");
        Assert.DoesNotContain("web-a/Pulled", _api.Created);

        _api.Release("web-a");
        await AsyncTestHelpers.WaitUntilAsync(() => _api.Created.Count == 2);
    }

    [Fact]
    public async Task RunAsync_EventsAboutOneObject_WrittenInRecordedOrder()
    {
        _api.Hold("web-a");
        _recorder.Event(Pod("web-a"), EventTypes.Normal, "Pulled", "image present");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _recorder.Event(Pod("web-a"), EventTypes.Normal, "Created", "Created container app");
        _recorder.Event(Pod("web-b"), EventTypes.Normal, "Pulled", "image present");

        await AsyncTestHelpers.WaitUntilAsync(() => _api.Created.Contains("web-b/Pulled"));
        Assert.Equal(new[] { "web-b/Pulled" }, _api.Created);

        _api.Release("web-a");
        await AsyncTestHelpers.WaitUntilAsync(() => _api.Created.Count == 3);
        Assert.Equal(new[] { "web-b/Pulled", "web-a/Pulled", "web-a/Created" }, _api.Created);
    }

    public async ValueTask DisposeAsync()
    {
        _api.Release("web-a");
        await _stop.CancelAsync();
        await _run.DefaultTimeout();
        _stop.Dispose();
    }

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = "uid-" + name, ["resourceVersion"] = "3" },
    };
}

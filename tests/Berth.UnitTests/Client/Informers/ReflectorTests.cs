using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Informers;

public sealed class ReflectorTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeApiClient _api;
    private readonly RecordingStore _store = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public ReflectorTests() => _api = new FakeApiClient(_time);

    [Fact]
    public async Task RunAsync_ListThenWatch_AppliesEventsInOrderAndTracksResourceVersion()
    {
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p1"));
        var reflector = await StartAsync();

        await _api.CreateAsync(KindRegistry.Pods, "a", ClientTestObjects.Pod("a", "p2"));
        await _api.DeleteAsync(KindRegistry.Pods, "a", "p1");
        await AsyncTestHelpers.WaitUntilAsync(() => _store.Calls.Count == 3);

        Assert.Equal(["replace:1@1", "upsert:p2@2", "delete:p1"], _store.Calls);
        Assert.Equal("3", reflector.LastSyncResourceVersion);
    }

    [Fact]
    public async Task RunAsync_WatchClosedByServer_RewatchesWithoutRelisting()
    {
        var reflector = await StartAsync();
        await _api.CreateAsync(KindRegistry.Pods, "a", ClientTestObjects.Pod("a", "p1"));
        await AsyncTestHelpers.WaitUntilAsync(() => reflector.LastSyncResourceVersion == "1");

        _api.CloseWatches();
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("watch") == 2 && _api.ActiveWatchCount == 1);
        await _api.CreateAsync(KindRegistry.Pods, "a", ClientTestObjects.Pod("a", "p2"));
        await AsyncTestHelpers.WaitUntilAsync(() => reflector.LastSyncResourceVersion == "2");

        Assert.Equal(1, reflector.ListCount);
        Assert.Equal(1, _api.CountActions("list"));
    }

    [Fact]
    public async Task RunAsync_ExpiredErrorEvent_RelistsAtOnce()
    {
        var reflector = await StartAsync();

        _api.ExpireWatches();

        await AsyncTestHelpers.WaitUntilAsync(() => reflector.ListCount == 2 && _api.ActiveWatchCount == 1);
        Assert.Equal(["replace:0@0", "replace:0@0"], _store.Calls);
    }

    [Fact]
    public async Task RunAsync_WatchStartReturns410_Relists()
    {
        var reflector = await StartAsync();
        await _api.CreateAsync(KindRegistry.Pods, "a", ClientTestObjects.Pod("a", "p1"));
        await AsyncTestHelpers.WaitUntilAsync(() => reflector.LastSyncResourceVersion == "1");
        var failed = 0;
        _api.Interceptor = a => a.Verb == "watch" && Interlocked.Exchange(ref failed, 1) == 0
            ? ApiErrors.TooOldResourceVersion(1, 5) : null;

        _api.CloseWatches();

        await AsyncTestHelpers.WaitUntilAsync(() => reflector.ListCount == 2 && _api.ActiveWatchCount == 1);
        Assert.Equal("replace:1@1", _store.Calls.Last());
    }

    [Fact]
    public async Task RunAsync_Bookmark_AdvancesResourceVersionWithoutTouchingTheStore()
    {
        var reflector = await StartAsync(ns: "a");
        await _api.CreateAsync(KindRegistry.Pods, "b", ClientTestObjects.Pod("b", "elsewhere"));

        _api.SendBookmarks();

        await AsyncTestHelpers.WaitUntilAsync(() => reflector.LastSyncResourceVersion == "1");
        Assert.Equal(["replace:0@0"], _store.Calls);
    }

    [Fact]
    public async Task RunAsync_ListFails_BacksOffThenRetries()
    {
        var failures = 0;
        _api.Interceptor = a => a.Verb == "list" && Interlocked.Increment(ref failures) == 1 ? ApiErrors.Internal("boom") : null;
        var reflector = new Reflector(_api, KindRegistry.Pods, null, null, _store, _time, NullLogger.Instance, new ReflectorOptions { BackoffJitter = 0 });
        _run = Task.Run(() => reflector.RunAsync(_stop.Token));
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("list") == 1);
        Assert.Equal(0, _api.CountActions("watch"));

        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return _api.ActiveWatchCount == 1;
        });

        Assert.Equal(2, _api.CountActions("list"));
        Assert.Equal(1, reflector.ListCount);
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

    private async Task<Reflector> StartAsync(string? ns = null)
    {
        var reflector = new Reflector(_api, KindRegistry.Pods, ns, null, _store, _time, NullLogger.Instance, new ReflectorOptions { BackoffJitter = 0 });
        _run = Task.Run(() => reflector.RunAsync(_stop.Token));
        await AsyncTestHelpers.WaitUntilAsync(() => _api.ActiveWatchCount == 1);
        return reflector;
    }
}

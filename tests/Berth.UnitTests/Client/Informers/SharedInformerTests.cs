using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Informers;

public sealed class SharedInformerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeApiClient _api;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];

    public SharedInformerTests() => _api = new FakeApiClient(_time);

    [Fact]
    public async Task AddEventHandler_BeforeRun_GetsInitialAddsThenHasSynced()
    {
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p1"));
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p2"));
        var informer = NewInformer();
        var handler = new RecordingHandler();
        var registration = informer.AddEventHandler(handler);

        Run(informer);
        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => registration.HasSynced);

        Assert.Equal(["add*:p1", "add*:p2"], handler.Calls.Order());
        Assert.Equal(2, informer.Lister.List("a").Count);
    }

    [Fact]
    public async Task RunAsync_WatchEvents_NotifyAddUpdateDelete()
    {
        var informer = NewInformer();
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);
        Run(informer);
        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => _api.ActiveWatchCount == 1);

        var created = await _api.CreateAsync(KindRegistry.Pods, "a", ClientTestObjects.Pod("a", "p1"));
        created["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["x"] = "y" };
        await _api.UpdateAsync(KindRegistry.Pods, "a", created);
        await _api.DeleteAsync(KindRegistry.Pods, "a", "p1");

        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 3);
        Assert.Equal(["add:p1", "update:p1@2", "delete:p1"], handler.Calls);
        Assert.Null(informer.Lister.Get("a", "p1"));
    }

    [Fact]
    public async Task Replace_ObjectMissingFromRelist_DeliversTombstoneAndSkipsUnchanged()
    {
        var informer = NewInformer();
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);
        IReflectorStore store = informer;

        store.Replace([ClientTestObjects.Pod("a", "p1", resourceVersion: "1"), ClientTestObjects.Pod("a", "p2", resourceVersion: "2")], "2");
        store.Replace([ClientTestObjects.Pod("a", "p1", resourceVersion: "1"), ClientTestObjects.Pod("a", "p3", resourceVersion: "5")], "5");

        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 4);
        Assert.Equal(["add*:p1", "add*:p2", "add:p3", "tombstone:p2"], handler.Calls);
        Assert.Null(informer.Lister.Get("a", "p2"));
    }

    [Fact]
    public async Task RunAsync_DeleteMissedWhileWatchWasDown_DeliversTombstoneAfterRelist()
    {
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p1"));
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p2"));
        var informer = NewInformer();
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);
        Run(informer);
        await AsyncTestHelpers.WaitUntilAsync(() => _api.ActiveWatchCount == 1);

        _api.Interceptor = a => a.Verb == "watch" ? ApiErrors.Internal("watch unavailable") : null;
        _api.ExpireWatches();
        await AsyncTestHelpers.WaitUntilAsync(() => informer.ListCount == 2 && _api.CountActions("watch") == 2);
        await _api.DeleteAsync(KindRegistry.Pods, "a", "p2");
        _api.Compact();
        _api.Interceptor = null;

        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            return handler.Saw("tombstone:p2");
        });
        Assert.True(informer.ListCount >= 3);
        Assert.NotNull(informer.Lister.Get("a", "p1"));
    }

    [Fact]
    public async Task AddEventHandler_AfterSync_GetsCachedObjectsAsInitialAdds()
    {
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p1"));
        var informer = NewInformer();
        Run(informer);
        await informer.WaitForCacheSyncAsync().DefaultTimeout();

        var handler = new RecordingHandler();
        var registration = informer.AddEventHandler(handler);

        await AsyncTestHelpers.WaitUntilAsync(() => registration.HasSynced);
        Assert.Equal(["add*:p1"], handler.Calls);
    }

    [Fact]
    public async Task RunAsync_ResyncPeriod_RedeliversCachedObjectsAsUpdates()
    {
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p1"));
        var informer = NewInformer(new InformerOptions(ResyncPeriod: TimeSpan.FromSeconds(30)));
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);
        Run(informer);
        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 1);

        _time.Advance(TimeSpan.FromSeconds(30));

        await AsyncTestHelpers.WaitUntilAsync(() => handler.Saw("update:p1@1"));
    }

    [Fact]
    public async Task Factory_FieldSelectorOnNodeName_SeesOnlyPodsBoundToTheNode()
    {
        await using var factory = new SharedInformerFactory(_api, _time, NullLoggerFactory.Instance);
        var options = new InformerOptions(ListOptions: new ListOptions(FieldSelector: "spec.nodeName=n1"));
        var informer = factory.InformerFor(KindRegistry.Pods, options);
        Assert.Same(informer, factory.InformerFor(KindRegistry.Pods, options));
        Assert.NotSame(informer, factory.InformerFor(KindRegistry.Pods));
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "on-n1", nodeName: "n1"));
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "on-n2", nodeName: "n2"));
        var pending = _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "pending"));

        factory.Start(_stop.Token);
        await factory.WaitForCacheSyncAsync().DefaultTimeout();
        Assert.Single(informer.Lister.List());
        await AsyncTestHelpers.WaitUntilAsync(() => _api.ActiveWatchCount == 2);
        pending["spec"]!["nodeName"] = "n1";
        await _api.UpdateAsync(KindRegistry.Pods, "a", pending);

        await AsyncTestHelpers.WaitUntilAsync(() => informer.Lister.List().Count == 2);
        await factory.ShutdownAsync().DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_SetBasedLabelSelector_CachesOnlyMatchingObjects()
    {
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "web", new Dictionary<string, string> { ["app"] = "web" }));
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "db", new Dictionary<string, string> { ["app"] = "db" }));
        _api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "none"));
        var informer = NewInformer(new InformerOptions(ListOptions: new ListOptions(LabelSelector: "app in (web,cache)")));
        Run(informer);
        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => _api.ActiveWatchCount == 1);

        await _api.CreateAsync(KindRegistry.Pods, "a", ClientTestObjects.Pod("a", "cache", new Dictionary<string, string> { ["app"] = "cache" }));

        await AsyncTestHelpers.WaitUntilAsync(() => informer.Lister.List().Count == 2);
        Assert.NotNull(informer.Lister.Get("a", "web"));
        Assert.Null(informer.Lister.Get("a", "db"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs).DefaultTimeout();
        _stop.Dispose();
    }

    private SharedInformer NewInformer(InformerOptions? options = null) =>
        new(_api, KindRegistry.Pods, (options ?? new InformerOptions()) with { Reflector = new ReflectorOptions { BackoffJitter = 0 } },
            _time, NullLoggerFactory.Instance);

    private void Run(SharedInformer informer) => _runs.Add(Task.Run(() => informer.RunAsync(_stop.Token)));
}

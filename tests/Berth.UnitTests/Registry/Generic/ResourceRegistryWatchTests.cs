using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistryWatchTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new(options: new RegistryOptions { BookmarkInterval = TimeSpan.FromSeconds(10) });
    private readonly CancellationTokenSource _cts = new();

    public Task InitializeAsync() => _host.CreateNamespaceAsync();

    public async Task DisposeAsync()
    {
        await _cts.CancelAsync();
        _cts.Dispose();
        await _host.DisposeAsync();
    }

    private IAsyncEnumerator<ApiWatchEvent> Watch(ListOptions options) =>
        _host.Api.WatchAsync(KindRegistry.Pods, "default", options, _cts.Token).GetAsyncEnumerator(_cts.Token);

    private static async Task<ApiWatchEvent> Next(IAsyncEnumerator<ApiWatchEvent> e)
    {
        Assert.True(await e.MoveNextAsync().AsTask().DefaultTimeout());
        return e.Current;
    }

    private static JsonObject Labels(string app) => new() { ["app"] = app };

    [Fact]
    public async Task Watch_FromZero_SendsAddedForExistingThenLiveEvents()
    {
        await _host.CreatePodAsync("a");
        var watch = Watch(new ListOptions(ResourceVersion: "0"));
        var added = await Next(watch);
        Assert.Equal((ApiWatchEventType.Added, "a"), (added.Type, added.Object.GetName()));
        var pending = Next(watch);
        await _host.CreatePodAsync("b");
        var live = await pending;
        Assert.Equal((ApiWatchEventType.Added, "b"), (live.Type, live.Object.GetName()));
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_FromRevision_ReplaysHistory()
    {
        var a = await _host.CreatePodAsync("a");
        var after = a.GetResourceVersion()!;
        a.Metadata()["labels"] = Labels("x");
        await _host.Api.UpdateAsync(KindRegistry.Pods, "default", a);
        await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a");
        var watch = Watch(new ListOptions(ResourceVersion: after));
        Assert.Equal(ApiWatchEventType.Modified, (await Next(watch)).Type);
        Assert.Equal(ApiWatchEventType.Modified, (await Next(watch)).Type);
        Assert.Equal(ApiWatchEventType.Deleted, (await Next(watch)).Type);
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_CompactedRevision_Throws410BeforeFirstEvent()
    {
        await _host.CreatePodAsync("a");
        await _host.CreatePodAsync("b");
        await _host.Store.CompactAsync(_host.Store.CurrentRevision);
        var watch = Watch(new ListOptions(ResourceVersion: "1"));
        var e = await Assert.ThrowsAsync<ApiException>(() => watch.MoveNextAsync().AsTask());
        Assert.Equal(410, e.Code);
        Assert.StartsWith("too old resource version: 1 (", e.Message);
    }

    [Fact]
    public async Task Watch_LabelSelector_ReportsObjectsLeavingAndEnteringTheSelection()
    {
        var pod = await _host.Api.CreateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod("a", labels: Labels("web")));
        var watch = Watch(new ListOptions(LabelSelector: "app=web", ResourceVersion: pod.GetResourceVersion()));
        pod.Metadata()["labels"] = Labels("db");
        pod = await _host.Api.UpdateAsync(KindRegistry.Pods, "default", pod);
        var left = await Next(watch);
        Assert.Equal(ApiWatchEventType.Deleted, left.Type);
        Assert.Equal("web", left.Object.GetLabels()["app"]);
        Assert.Equal(pod.GetResourceVersion(), left.Object.GetResourceVersion());
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod("ignored", labels: Labels("db")));
        pod.Metadata()["labels"] = Labels("web");
        await _host.Api.UpdateAsync(KindRegistry.Pods, "default", pod);
        var entered = await Next(watch);
        Assert.Equal((ApiWatchEventType.Added, "a"), (entered.Type, entered.Object.GetName()));
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWhenIdle()
    {
        var pod = await _host.CreatePodAsync("a");
        var watch = Watch(new ListOptions(ResourceVersion: pod.GetResourceVersion(), AllowWatchBookmarks: true));
        var pending = Next(watch);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        _host.Time.Advance(TimeSpan.FromSeconds(10));
        var bookmark = await pending;
        Assert.Equal(ApiWatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(pod.GetResourceVersion(), bookmark.Object.GetResourceVersion());
        Assert.Equal("Pod", bookmark.Object["kind"]!.GetValue<string>());
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsStreamAfterDeadline()
    {
        var watch = Watch(new ListOptions(ResourceVersion: _host.Store.CurrentRevision.ToString(), TimeoutSeconds: 30));
        var pending = watch.MoveNextAsync().AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await pending.DefaultTimeout());
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_SlowWatcher_GetsErrorEventThenEnds()
    {
        await using var host = new RegistryTestHost(new StoreOptions { WatchBufferSize = 2 });
        await host.CreateNamespaceAsync();
        var watch = host.Api.WatchAsync(KindRegistry.Pods, "default", new ListOptions(ResourceVersion: host.Store.CurrentRevision.ToString()))
            .GetAsyncEnumerator();
        var first = watch.MoveNextAsync().AsTask();
        for (var i = 0; i < 10; i++)
        {
            await host.CreatePodAsync($"p{i}");
        }
        var events = new List<ApiWatchEvent>();
        var more = await first.DefaultTimeout();
        while (more)
        {
            events.Add(watch.Current);
            more = await watch.MoveNextAsync().AsTask().DefaultTimeout();
        }
        var error = events[^1];
        Assert.Equal(ApiWatchEventType.Error, error.Type);
        Assert.Equal(410, error.Object.GetLong("code"));
        await watch.DisposeAsync();
    }
}

using Berth.Storage;
using static Berth.UnitTests.Storage.StoreTestObjects;

namespace Berth.UnitTests.Storage;

/// <summary>Watch, replay and compaction cases of the conformance suite.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task Watch_FromZero_ReplaysHistoryThenLive()
    {
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a", image: "v2"));
        using var watch = Store.Watch("/pods/", 0);

        await Store.DeleteAsync(PodKey("a"));
        var events = await ReadAsync(watch, 3);

        Assert.Equal([StoreEventType.Added, StoreEventType.Modified, StoreEventType.Deleted], events.Select(e => e.Type));
        Assert.Null(events[0].PreviousObject);
        Assert.Equal(a.Revision, events[1].PreviousObject!.Revision);
        Assert.Equal("v2", Image(events[2].Object));
        Assert.Equal(events[1].Object.Revision, events[2].PreviousObject!.Revision);
        Assert.Equal(events[2].Object.Revision.ToString(), ResourceVersion(events[2].Object));
    }

    [Fact]
    public async Task Watch_FromRevision_ReplaysOnlyLaterEvents()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));
        var b = await Store.CreateAsync(PodKey("b"), Pod("b"));
        await Store.CreateAsync(PodKey("c"), Pod("c"));
        using var watch = Store.Watch("/pods/", b.Revision);

        var d = await Store.CreateAsync(PodKey("d"), Pod("d"));
        var events = await ReadAsync(watch, 2);

        Assert.Equal([PodKey("c"), PodKey("d")], events.Select(e => e.Object.Key));
        Assert.Equal(d.Revision, events[1].Object.Revision);
        Assert.False(watch.Events.TryRead(out _));
    }

    [Fact]
    public async Task Watch_SubscribedDuringWrites_HasNoGapsOrDuplicates()
    {
        const int total = 400;
        await using var store = await OpenAsync(Options with { WatchBufferSize = total * 2 });
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < total; i++)
            {
                await store.CreateAsync(PodKey($"p{i}"), Pod($"p{i}"));
                await Task.Yield();
            }
        });
        await AsyncTestHelpers.WaitUntilAsync(() => store.CurrentRevision >= total / 4);
        var list = await store.ListAsync("/pods/");
        using var watch = store.Watch("/pods/", list.Revision);
        await writer.DefaultTimeout(TimeSpan.FromSeconds(60));

        var events = await ReadAsync(watch, (int)(store.CurrentRevision - list.Revision));

        var expected = Enumerable.Range(0, events.Count).Select(i => list.Revision + 1 + i);
        Assert.Equal(expected, events.Select(e => e.Object.Revision));
        Assert.Equal(total, list.Items.Count + events.Count);
        Assert.False(watch.Events.TryRead(out _));
    }

    [Fact]
    public async Task Watch_Prefix_SeesOnlyThatPrefix()
    {
        using var watch = Store.Watch("/pods/other/", Store.CurrentRevision);

        await Store.CreateAsync(PodKey("a"), Pod("a"));
        await Store.CreateAsync("/services/other/b", Pod("b"));
        var mine = await Store.CreateAsync(PodKey("c", "other"), Pod("c", "other"));
        await Store.CreateAsync(PodKey("d"), Pod("d"));
        var events = await ReadAsync(watch, 1);

        Assert.Equal(mine.Revision, events[0].Object.Revision);
        Assert.False(watch.Events.TryRead(out _));
    }

    [Fact]
    public async Task Watch_Dispose_CompletesEventsNormally()
    {
        var watch = Store.Watch("/pods/", 0);

        watch.Dispose();

        await watch.Events.Completion.DefaultTimeout();
    }

    [Fact]
    public async Task Watch_SlowWatcher_IsCutOffWhileFastWatcherKeepsReceiving()
    {
        var start = Store.CurrentRevision;
        using var slow = Store.Watch("/pods/", start);
        using var fast = Store.Watch("/pods/", start);
        var total = Options.WatchBufferSize * 3;
        var fastCount = 0;
        var fastReader = Task.Run(async () =>
        {
            await foreach (var _ in fast.Events.ReadAllAsync())
            {
                if (Interlocked.Increment(ref fastCount) == total)
                {
                    return;
                }
            }
        });

        for (var i = 1; i <= total; i++)
        {
            await Store.CreateAsync(PodKey($"p{i}"), Pod($"p{i}"));
            if (i % (Options.WatchBufferSize / 2) == 0)
            {
                await AsyncTestHelpers.WaitUntilAsync(() => Volatile.Read(ref fastCount) >= i, because: "fast watcher keeps up");
            }
        }

        await fastReader.DefaultTimeout();
        Assert.Equal(total, fastCount);
        var drained = 0;
        await Assert.ThrowsAsync<WatchTooSlowException>(() => Task.Run(async () =>
        {
            await foreach (var _ in slow.Events.ReadAllAsync())
            {
                drained++;
            }
        }).DefaultTimeout());
        Assert.Equal(Options.WatchBufferSize, drained);
    }

    [Fact]
    public async Task Compact_OldRevision_WatchBeforeItThrowsCompacted()
    {
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        var a2 = await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a", image: "v2"));
        var b = await Store.CreateAsync(PodKey("b"), Pod("b"));
        await Store.DeleteAsync(PodKey("b"));
        var c = await Store.CreateAsync(PodKey("c"), Pod("c"));

        await Store.CompactAsync(a2.Revision);

        Assert.Equal(a2.Revision, Store.CompactedRevision);
        var ex = Assert.Throws<StoreCompactedException>(() => Store.Watch("/pods/", a.Revision));
        Assert.Equal(a2.Revision, ex.Compacted);
        using var watch = Store.Watch("/pods/", a2.Revision);
        var events = await ReadAsync(watch, 3);
        Assert.Equal([b.Revision, b.Revision + 1, c.Revision], events.Select(e => e.Object.Revision));
        Assert.Equal("v2", Image((await Store.GetAsync(PodKey("a")))!));
    }

    [Fact]
    public async Task Compact_EverythingIncludingTombstones_KeepsLiveObjectsAndRevision()
    {
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a", image: "v2"));
        await Store.CreateAsync(PodKey("b"), Pod("b"));
        var deleted = await Store.DeleteAsync(PodKey("b"));

        await Store.CompactAsync(deleted.Revision);
        var next = await Store.CreateAsync(PodKey("c"), Pod("c"));

        Assert.Equal(deleted.Revision, Store.CompactedRevision);
        Assert.True(next.Revision > deleted.Revision);
        Assert.Equal([PodKey("a"), PodKey("c")], (await Store.ListAsync("/pods/")).Items.Select(i => i.Key));
    }

    [Fact]
    public async Task Compact_FutureRevision_Throws()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.CompactAsync(Store.CurrentRevision + 1));
    }
}

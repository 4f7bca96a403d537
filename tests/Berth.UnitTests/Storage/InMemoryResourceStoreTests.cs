using Berth.Storage;
using Berth.Storage.InMemory;

namespace Berth.UnitTests.Storage;

/// <summary>The conformance suite against <see cref="InMemoryResourceStore"/>.</summary>
public sealed class InMemoryResourceStoreTests : ResourceStoreConformanceTests
{
    protected override Task<IResourceStore> OpenAsync(StoreOptions options) =>
        Task.FromResult<IResourceStore>(new InMemoryResourceStore(options));

    [Fact]
    public async Task Watch_WindowOverflow_RaisesCompactedRevision()
    {
        await using var store = new InMemoryResourceStore(new StoreOptions { WatchWindowSize = 3 });
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(StoreTestObjects.PodKey($"p{i}"), StoreTestObjects.Pod($"p{i}"));
        }

        Assert.Equal(2, store.CompactedRevision);
        Assert.Throws<StoreCompactedException>(() => store.Watch("/pods/", 1));
        using var watch = store.Watch("/pods/", 2);
        Assert.Equal(3, (await StoreTestObjects.ReadAsync(watch, 3)).Count);
    }

    [Fact]
    public async Task Watch_DisposedOrCutOff_IsUnsubscribed()
    {
        await using var store = new InMemoryResourceStore(new StoreOptions { WatchBufferSize = 2 });
        var disposed = store.Watch("/pods/", 0);
        using var slow = store.Watch("/pods/", 0);
        Assert.Equal(2, store.WatcherCount);

        disposed.Dispose();
        for (var i = 0; i < 3; i++)
        {
            await store.CreateAsync(StoreTestObjects.PodKey($"p{i}"), StoreTestObjects.Pod($"p{i}"));
        }

        Assert.Equal(0, store.WatcherCount);
        Assert.True(slow.Events.TryRead(out _) && slow.Events.TryRead(out _), "buffered events stay readable");
        await Assert.ThrowsAsync<WatchTooSlowException>(() => slow.Events.Completion.DefaultTimeout());
    }
}

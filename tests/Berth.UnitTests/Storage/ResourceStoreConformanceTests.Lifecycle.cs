using Berth.Storage;
using static Berth.UnitTests.Storage.StoreTestObjects;

namespace Berth.UnitTests.Storage;

/// <summary>Cancellation and disposal cases of the conformance suite.</summary>
public abstract partial class ResourceStoreConformanceTests
{
    [Fact]
    public async Task Create_CancelledToken_IsCancelledAndWritesNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateAsync(PodKey("a"), Pod("a"), cts.Token));

        Assert.Null(await Store.GetAsync(PodKey("a")));
        Assert.Equal(0, Store.CurrentRevision);
    }

    [Fact]
    public async Task Dispose_OpenWatch_CompletesAndRefusesNewWatchesAndWrites()
    {
        await using var store = await OpenAsync(Options);
        var watch = store.Watch("/pods/", 0);

        await store.DisposeAsync();

        await watch.Events.Completion.DefaultTimeout();
        Assert.Throws<ObjectDisposedException>(() => store.Watch("/pods/", 0));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CreateAsync(PodKey("a"), Pod("a")));
    }

    [Fact]
    public async Task Watch_FutureRevision_DeliversOnlyLaterEvents()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));
        using var watch = Store.Watch("/pods/", Store.CurrentRevision + 1);

        await Store.CreateAsync(PodKey("b"), Pod("b"));
        var c = await Store.CreateAsync(PodKey("c"), Pod("c"));

        Assert.Equal(c.Revision, (await ReadAsync(watch, 1))[0].Object.Revision);
    }
}

using Berth.Storage;
using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Berth.UnitTests.Storage.StoreTestObjects;

namespace Berth.UnitTests.Storage;

/// <summary>The conformance suite against <see cref="SqliteResourceStore"/>, plus restart and on-disk cases.</summary>
public sealed class SqliteResourceStoreTests : ResourceStoreConformanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-store-").FullName;
    private int _files;

    private string DatabasePath => Path.Combine(_directory, "state.db");

    protected override Task<IResourceStore> OpenAsync(StoreOptions options)
    {
        var path = Interlocked.Increment(ref _files) == 1 ? DatabasePath : Path.Combine(_directory, $"extra{_files}.db");
        return Task.FromResult<IResourceStore>(SqliteResourceStore.Open(options with { Path = path }, TimeProvider.System));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reopen_KeepsDataAndRevisionKeepsIncreasing()
    {
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        var a2 = await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a", image: "v2"));
        await Store.CreateAsync(PodKey("b"), Pod("b"));
        var deleted = await Store.DeleteAsync(PodKey("b"));

        var reopened = await ReopenAsync();

        Assert.Equal(deleted.Revision, reopened.CurrentRevision);
        var got = await reopened.GetAsync(PodKey("a"));
        Assert.Equal(a2.Revision, got!.Revision);
        Assert.Equal(a.Revision, got.CreateRevision);
        Assert.Equal("v2", Image(got));
        Assert.Null(await reopened.GetAsync(PodKey("b")));
        var next = await reopened.CreateAsync(PodKey("c"), Pod("c"));
        Assert.Equal(deleted.Revision + 1, next.Revision);
    }

    [Fact]
    public async Task Reopen_AfterCompactingEverything_NeverReusesRevisions()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));
        var deleted = await Store.DeleteAsync(PodKey("a"));
        await Store.CompactAsync(deleted.Revision);
        Assert.Equal(0, CountRows());

        var reopened = await ReopenAsync();

        Assert.Equal(deleted.Revision, reopened.CurrentRevision);
        Assert.Equal(deleted.Revision, reopened.CompactedRevision);
        Assert.True((await reopened.CreateAsync(PodKey("a"), Pod("a"))).Revision > deleted.Revision);
    }

    [Fact]
    public async Task Reopen_WatchReplaysHistoryWithPreviousObjects()
    {
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        var a2 = await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a", image: "v2"));
        var deleted = await Store.DeleteAsync(PodKey("a"));

        var reopened = await ReopenAsync();
        using var watch = reopened.Watch("/pods/", 0);
        var events = await ReadAsync(watch, 3);

        Assert.Equal([StoreEventType.Added, StoreEventType.Modified, StoreEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(a.Revision, events[1].PreviousObject!.Revision);
        Assert.Equal(a2.Revision, events[2].PreviousObject!.Revision);
        Assert.Equal(deleted.Revision.ToString(), ResourceVersion(events[2].Object));
        Assert.Equal("v2", Image(events[2].Object));
    }

    [Fact]
    public async Task Compact_DeletesSupersededRowsAndTombstonesOnly()
    {
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        var a2 = await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a", image: "v2"));
        await Store.CreateAsync(PodKey("b"), Pod("b"));
        var deleted = await Store.DeleteAsync(PodKey("b"));
        await Store.UpdateAsync(PodKey("a"), a2.Revision, Pod("a", image: "v3"));
        Assert.Equal(5, CountRows());

        await Store.CompactAsync(deleted.Revision);

        Assert.Equal(2, CountRows());
        var reopened = await ReopenAsync();
        Assert.Equal(deleted.Revision, reopened.CompactedRevision);
        Assert.Equal("v3", Image((await reopened.GetAsync(PodKey("a")))!));
        using var watch = reopened.Watch("/pods/", deleted.Revision);
        var events = await ReadAsync(watch, 1);
        Assert.Equal(a2.Revision, events[0].PreviousObject!.Revision);
    }

    [Fact]
    public async Task Compact_InSmallSteps_ReachesTarget()
    {
        await using var store = await OpenAsync(Options with { CompactionBatchSize = 7 });
        var created = await store.CreateAsync(PodKey("a"), Pod("a"));
        var last = created;
        for (var i = 0; i < 50; i++)
        {
            last = await store.UpdateAsync(PodKey("a"), last.Revision, Pod("a", image: $"v{i}"));
        }

        await store.CompactAsync(last.Revision);

        Assert.Equal(last.Revision, store.CompactedRevision);
        Assert.Equal("v49", Image((await store.GetAsync(PodKey("a")))!));
    }

    [Fact]
    public async Task Open_SynchronousNormal_WritesAndReopens()
    {
        await Store.DisposeAsync();
        await using (var normal = SqliteResourceStore.Open(Options with { Path = DatabasePath, Synchronous = SqliteSynchronousMode.Normal }, TimeProvider.System))
        {
            await normal.CreateAsync(PodKey("a"), Pod("a"));
        }

        var reopened = await ReopenAsync(disposeCurrent: false);

        Assert.NotNull(await reopened.GetAsync(PodKey("a")));
    }

    [Fact]
    public async Task Open_NewFile_UsesWalJournalAndKineTable()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar("SELECT created FROM kine WHERE name = '/pods/default/a'"));
        Assert.Equal(Store.CurrentRevision, Scalar("SELECT MAX(id) FROM kine"));
    }

    private async Task<IResourceStore> ReopenAsync(bool disposeCurrent = true)
    {
        if (disposeCurrent)
        {
            await Store.DisposeAsync();
        }
        var reopened = SqliteResourceStore.Open(Options with { Path = DatabasePath }, TimeProvider.System);
        ReplaceStore(reopened);
        return reopened;
    }

    private long CountRows() => (long)Scalar("SELECT COUNT(*) FROM kine")!;

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

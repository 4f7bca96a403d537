using Berth.Storage;
using static Berth.UnitTests.Storage.StoreTestObjects;

namespace Berth.UnitTests.Storage;

/// <summary>
/// The contract of <see cref="IResourceStore"/>, run against every implementation (kine runs one suite for all its
/// backends, pkg/testserver). Subclasses only say how to open a store. CRUD and list cases live in this file,
/// watch and compaction cases in the partial files next to it.
/// </summary>
public abstract partial class ResourceStoreConformanceTests : IAsyncLifetime
{
    protected IResourceStore Store { get; private set; } = null!;

    /// <summary>Options used by <see cref="InitializeAsync"/>; small buffers keep the slow-watcher case quick.</summary>
    protected virtual StoreOptions Options => new() { WatchBufferSize = 64, WatchWindowSize = 4096 };

    protected abstract Task<IResourceStore> OpenAsync(StoreOptions options);

    /// <summary>Makes <paramref name="store"/> the one under test (after a reopen); it is disposed at the end.</summary>
    protected void ReplaceStore(IResourceStore store) => Store = store;

    public async Task InitializeAsync() => Store = await OpenAsync(Options);

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Create_NewKey_StampsRevisionAsResourceVersion()
    {
        var created = await Store.CreateAsync(PodKey("a"), Pod("a"));

        Assert.True(created.Revision > 0);
        Assert.Equal(created.Revision, created.CreateRevision);
        Assert.Equal(created.Revision.ToString(), ResourceVersion(created));
        Assert.Equal(created.Revision, Store.CurrentRevision);
    }

    [Fact]
    public async Task Create_ExistingKey_ThrowsKeyExists()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));

        var ex = await Assert.ThrowsAsync<StoreKeyExistsException>(() => Store.CreateAsync(PodKey("a"), Pod("a")));
        Assert.Equal(PodKey("a"), ex.Key);
    }

    [Fact]
    public async Task Create_CallerValue_IsNotMutated()
    {
        var value = Pod("a");
        value["metadata"]!["resourceVersion"] = "999";

        var created = await Store.CreateAsync(PodKey("a"), value);

        Assert.Equal("999", value["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(created.Revision.ToString(), ResourceVersion(created));
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(PodKey("missing")));
    }

    [Fact]
    public async Task Get_AfterCreate_ReturnsStoredValue()
    {
        var created = await Store.CreateAsync(PodKey("a"), Pod("a", image: "redis"));

        var got = await Store.GetAsync(PodKey("a"));

        Assert.NotNull(got);
        Assert.Equal(created.Revision, got.Revision);
        Assert.Equal("redis", Image(got));
        Assert.Equal("a", got.ToJsonObject()["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_Prefix_ReturnsOnlyMatchingKeysInKeyOrder()
    {
        foreach (var (name, ns) in new[] { ("c", "default"), ("a", "default"), ("b", "other"), ("b", "default") })
        {
            await Store.CreateAsync(PodKey(name, ns), Pod(name, ns));
        }
        await Store.CreateAsync("/services/default/a", Pod("a"));

        var list = await Store.ListAsync("/pods/default/");

        Assert.Equal([PodKey("a"), PodKey("b"), PodKey("c")], list.Items.Select(i => i.Key));
        Assert.False(list.HasMore);
        Assert.Equal(Store.CurrentRevision, list.Revision);
        Assert.Equal(4, (await Store.ListAsync("/pods/")).Items.Count);
    }

    [Fact]
    public async Task List_LimitAndStartAfterKey_PagesThroughAllKeys()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.CreateAsync(PodKey($"p{i}"), Pod($"p{i}"));
        }

        var first = await Store.ListAsync("/pods/", limit: 3);
        var second = await Store.ListAsync("/pods/", first.Items[^1].Key, limit: 3);
        var third = await Store.ListAsync("/pods/", second.Items[^1].Key, limit: 3);

        Assert.True(first.HasMore);
        Assert.True(second.HasMore);
        Assert.False(third.HasMore);
        var names = first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Key);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => PodKey($"p{i}")), names);
    }

    [Fact]
    public async Task List_ExactLimit_ReportsNoMore()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));
        await Store.CreateAsync(PodKey("b"), Pod("b"));

        var list = await Store.ListAsync("/pods/", limit: 2);

        Assert.Equal(2, list.Items.Count);
        Assert.False(list.HasMore);
    }

    [Fact]
    public async Task Update_MatchingRevision_ReplacesValueKeepsCreateRevision()
    {
        var created = await Store.CreateAsync(PodKey("a"), Pod("a"));

        var updated = await Store.UpdateAsync(PodKey("a"), created.Revision, Pod("a", image: "redis"));

        Assert.True(updated.Revision > created.Revision);
        Assert.Equal(created.Revision, updated.CreateRevision);
        Assert.Equal(updated.Revision.ToString(), ResourceVersion(updated));
        Assert.Equal("redis", Image((await Store.GetAsync(PodKey("a")))!));
    }

    [Fact]
    public async Task Update_StaleRevision_ThrowsConflict()
    {
        var created = await Store.CreateAsync(PodKey("a"), Pod("a"));
        var updated = await Store.UpdateAsync(PodKey("a"), created.Revision, Pod("a", image: "v2"));

        var ex = await Assert.ThrowsAsync<StoreConflictException>(
            () => Store.UpdateAsync(PodKey("a"), created.Revision, Pod("a", image: "v3")));

        Assert.Equal(created.Revision, ex.Expected);
        Assert.Equal(updated.Revision, ex.Actual);
        Assert.Equal("v2", Image((await Store.GetAsync(PodKey("a")))!));
    }

    [Fact]
    public async Task Update_MissingKey_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<StoreNotFoundException>(() => Store.UpdateAsync(PodKey("a"), 1, Pod("a")));
    }

    [Fact]
    public async Task Update_ZeroExpectedRevision_IsUnconditional()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));

        var updated = await Store.UpdateAsync(PodKey("a"), 0, Pod("a", image: "redis"));

        Assert.Equal("redis", Image(updated));
    }

    [Fact]
    public async Task Delete_MatchingRevision_ReturnsLastStateAtDeleteRevision()
    {
        var created = await Store.CreateAsync(PodKey("a"), Pod("a", image: "redis"));

        var deleted = await Store.DeleteAsync(PodKey("a"), created.Revision);

        Assert.True(deleted.Revision > created.Revision);
        Assert.Equal(deleted.Revision.ToString(), ResourceVersion(deleted));
        Assert.Equal("redis", Image(deleted));
        Assert.Null(await Store.GetAsync(PodKey("a")));
        Assert.Empty((await Store.ListAsync("/pods/")).Items);
        Assert.Equal(deleted.Revision, Store.CurrentRevision);
    }

    [Fact]
    public async Task Delete_StaleRevision_ThrowsConflictAndKeepsKey()
    {
        var created = await Store.CreateAsync(PodKey("a"), Pod("a"));
        await Store.UpdateAsync(PodKey("a"), created.Revision, Pod("a", image: "v2"));

        await Assert.ThrowsAsync<StoreConflictException>(() => Store.DeleteAsync(PodKey("a"), created.Revision));

        Assert.NotNull(await Store.GetAsync(PodKey("a")));
    }

    [Fact]
    public async Task Delete_MissingKey_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<StoreNotFoundException>(() => Store.DeleteAsync(PodKey("a")));
    }

    [Fact]
    public async Task Create_AfterDelete_StartsNewLifetime()
    {
        await Store.CreateAsync(PodKey("a"), Pod("a"));
        await Store.DeleteAsync(PodKey("a"));

        var again = await Store.CreateAsync(PodKey("a"), Pod("a"));

        Assert.Equal(again.Revision, again.CreateRevision);
    }

    [Fact]
    public async Task Revisions_AcrossKeysAndVerbs_StrictlyIncrease()
    {
        var revisions = new List<long>();
        var a = await Store.CreateAsync(PodKey("a"), Pod("a"));
        revisions.Add(a.Revision);
        revisions.Add((await Store.CreateAsync(PodKey("b"), Pod("b"))).Revision);
        revisions.Add((await Store.UpdateAsync(PodKey("a"), a.Revision, Pod("a"))).Revision);
        await Assert.ThrowsAsync<StoreKeyExistsException>(() => Store.CreateAsync(PodKey("b"), Pod("b")));
        revisions.Add((await Store.DeleteAsync(PodKey("b"))).Revision);
        revisions.Add((await Store.CreateAsync(PodKey("c"), Pod("c"))).Revision);

        Assert.Equal(revisions.Order(), revisions);
        Assert.Equal(revisions.Count, revisions.Distinct().Count());
        Assert.Equal(revisions[^1], Store.CurrentRevision);
    }

    [Fact]
    public async Task Writes_ManyParallelWriters_AllRevisionsUnique()
    {
        const int writers = 16, perWriter = 25;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var revs = new List<long>();
            for (var i = 0; i < perWriter; i++)
            {
                var created = await Store.CreateAsync(PodKey($"w{w}-{i}"), Pod($"w{w}-{i}"));
                revs.Add((await Store.UpdateAsync(created.Key, created.Revision, Pod($"w{w}-{i}", image: "v2"))).Revision);
                revs.Add(created.Revision);
            }
            return revs;
        }));

        var all = (await Task.WhenAll(tasks).DefaultTimeout(TimeSpan.FromSeconds(60))).SelectMany(r => r).ToList();

        Assert.Equal(writers * perWriter * 2, all.Distinct().Count());
        Assert.Equal(all.Max(), Store.CurrentRevision);
        Assert.Equal(writers * perWriter, (await Store.ListAsync("/pods/")).Items.Count);
    }
}

using Berth.Client.Informers;
using Berth.Machinery.Meta;

namespace Berth.UnitTests.Client.Informers;

public sealed class ThreadSafeStoreTests
{
    private readonly ThreadSafeStore _store = new(new Dictionary<string, IndexFunc>
    {
        [Indexers.NamespaceIndex] = Indexers.MetaNamespace,
        [Indexers.NodeNameIndex] = Indexers.PodNodeName,
    });

    [Fact]
    public void ByIndex_Namespace_ReturnsOnlyThatNamespace()
    {
        _store.Upsert(new ObjectKey("a", "p1"), ClientTestObjects.Pod("a", "p1"));
        _store.Upsert(new ObjectKey("a", "p2"), ClientTestObjects.Pod("a", "p2"));
        _store.Upsert(new ObjectKey("b", "p1"), ClientTestObjects.Pod("b", "p1"));

        Assert.Equal(2, _store.ByIndex(Indexers.NamespaceIndex, "a").Count);
        Assert.Single(_store.ByIndex(Indexers.NamespaceIndex, "b"));
        Assert.Empty(_store.ByIndex(Indexers.NamespaceIndex, "c"));
    }

    [Fact]
    public void Upsert_IndexedValueChanges_MovesTheObjectBetweenIndexEntries()
    {
        var key = new ObjectKey("a", "p1");
        _store.Upsert(key, ClientTestObjects.Pod("a", "p1", nodeName: "n1"));

        var old = _store.Upsert(key, ClientTestObjects.Pod("a", "p1", nodeName: "n2"));

        Assert.NotNull(old);
        Assert.Empty(_store.ByIndex(Indexers.NodeNameIndex, "n1"));
        Assert.Single(_store.ByIndex(Indexers.NodeNameIndex, "n2"));
    }

    [Fact]
    public void Remove_Present_ClearsItemAndIndexes()
    {
        var key = new ObjectKey("a", "p1");
        _store.Upsert(key, ClientTestObjects.Pod("a", "p1", nodeName: "n1"));

        Assert.NotNull(_store.Remove(key));

        Assert.Null(_store.Get(key));
        Assert.Empty(_store.ByIndex(Indexers.NodeNameIndex, "n1"));
        Assert.Null(_store.Remove(key));
    }

    [Fact]
    public void AddIndexers_AfterObjectsCached_IndexesExistingObjects()
    {
        var store = new ThreadSafeStore();
        store.Upsert(new ObjectKey("a", "p1"), ClientTestObjects.Pod("a", "p1", nodeName: "n1"));

        store.AddIndexers(new Dictionary<string, IndexFunc> { [Indexers.NodeNameIndex] = Indexers.PodNodeName });

        Assert.Single(store.ByIndex(Indexers.NodeNameIndex, "n1"));
        Assert.Throws<InvalidOperationException>(() => store.AddIndexers(new Dictionary<string, IndexFunc> { [Indexers.NodeNameIndex] = Indexers.PodNodeName }));
        Assert.Throws<InvalidOperationException>(() => store.ByIndex("missing", "x"));
    }
}

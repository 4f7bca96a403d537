using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Client.Informers;

/// <summary>The store after <see cref="ThreadSafeStore.ReleaseObjects"/>: objects held weakly, re-parsed when collected.</summary>
public sealed class ThreadSafeStoreReleaseTests
{
    private static readonly ObjectKey Key = new("a", "p1");

    private readonly ThreadSafeStore _store = new(new Dictionary<string, IndexFunc>
    {
        [Indexers.NamespaceIndex] = Indexers.MetaNamespace,
        [Indexers.NodeNameIndex] = Indexers.PodNodeName,
    });

    [Fact]
    public void Get_ReleasedAndCollected_ReparsesEqualContent()
    {
        var weak = UpsertUnreferenced(_store, Key, "n1", "7");

        Assert.Equal(1, _store.ReleaseObjects());
        Collect();

        Assert.False(weak.IsAlive);
        var reparsed = _store.Get(Key);
        Assert.NotNull(reparsed);
        Assert.True(JsonNode.DeepEquals(ClientTestObjects.Pod("a", "p1", nodeName: "n1", resourceVersion: "7"), reparsed));
        Assert.Same(reparsed, _store.Get(Key));
    }

    [Fact]
    public void Get_ReleasedWhileReferenced_SameInstance()
    {
        var pod = ClientTestObjects.Pod("a", "p1", nodeName: "n1");
        _store.Upsert(Key, pod);

        _store.ReleaseObjects();
        Collect();

        Assert.Same(pod, _store.Get(Key));
        Assert.Same(pod, Assert.Single(_store.ByIndex(Indexers.NodeNameIndex, "n1")));
        Assert.Same(pod, Assert.Single(_store.List()));
    }

    [Fact]
    public void Upsert_ReleasedAndCollected_ReturnsOldContentAndMovesIndexEntries()
    {
        UpsertUnreferenced(_store, Key, "n1", "1");
        _store.ReleaseObjects();
        Collect();

        var old = _store.Upsert(Key, ClientTestObjects.Pod("a", "p1", nodeName: "n2", resourceVersion: "2"));

        Assert.Equal("1", old?.GetResourceVersion());
        Assert.Empty(_store.ByIndex(Indexers.NodeNameIndex, "n1"));
        Assert.Equal("2", Assert.Single(_store.ByIndex(Indexers.NodeNameIndex, "n2")).GetResourceVersion());
    }

    [Fact]
    public void Remove_ReleasedAndCollected_ReturnsObjectAndClearsIndexes()
    {
        UpsertUnreferenced(_store, Key, "n1", "3");
        _store.ReleaseObjects();
        Collect();

        var removed = _store.Remove(Key);

        Assert.Equal("3", removed?.GetResourceVersion());
        Assert.Empty(_store.ByIndex(Indexers.NodeNameIndex, "n1"));
        Assert.Empty(_store.ByIndex(Indexers.NamespaceIndex, "a"));
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public void Get_ReleasedWithSuppliedBytes_ParsesThoseBytes()
    {
        var utf8 = ApiJson.ToUtf8(ClientTestObjects.Pod("a", "p1", resourceVersion: "9"));
        UpsertUnreferenced(_store, Key, null, "9", utf8);

        _store.ReleaseObjects();
        Collect();

        Assert.True(JsonNode.DeepEquals(ApiJson.ParseObject(utf8), _store.Get(Key)));
    }

    [Fact]
    public void AddIndexers_AfterRelease_IndexesTheReparsedObjects()
    {
        var store = new ThreadSafeStore();
        UpsertUnreferenced(store, Key, "n1", "1");
        store.ReleaseObjects();
        Collect();

        store.AddIndexers(new Dictionary<string, IndexFunc> { [Indexers.NodeNameIndex] = Indexers.PodNodeName });

        Assert.Equal("1", Assert.Single(store.ByIndex(Indexers.NodeNameIndex, "n1")).GetResourceVersion());
    }

    [Fact]
    public void ReleaseObjects_StoredAfterwards_HeldAgainUntilTheNextRelease()
    {
        _store.ReleaseObjects();
        var weak = UpsertUnreferenced(_store, Key, "n1", "1");
        Collect();

        Assert.True(weak.IsAlive);
        Assert.Equal(1, _store.ReleaseObjects());
        Assert.Equal(0, _store.ReleaseObjects());
        Collect();
        Assert.False(weak.IsAlive);
    }

    [Fact]
    public async Task Get_ConcurrentReadersOfACollectedObject_GetOneInstance()
    {
        UpsertUnreferenced(_store, Key, "n1", "1");
        _store.ReleaseObjects();
        Collect();
        using var start = new Barrier(4);

        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return _store.Get(Key);
        }))).DefaultTimeout();

        Assert.All(reads, r => Assert.Same(reads[0], r));
    }

    [Fact]
    public async Task Get_ConcurrentWithUpsertAndRelease_AlwaysSeesACompleteVersion()
    {
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var rv = 1; rv <= 2_000; rv++)
            {
                _store.Upsert(Key, ClientTestObjects.Pod("a", "p1", nodeName: "n" + (rv % 3), resourceVersion: rv.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (rv % 50 == 0)
                {
                    _store.ReleaseObjects();
                    GC.Collect();
                }
            }
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var last = 0L;
            while (!writer.IsCompleted)
            {
                if (_store.Get(Key) is { } pod)
                {
                    var rv = long.Parse(pod.GetResourceVersion()!, System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(rv >= last, $"resourceVersion went back from {last} to {rv}");
                    Assert.Equal("n" + (rv % 3), pod.GetString("spec", "nodeName"));
                    last = rv;
                }
                Assert.True(_store.ByIndex(Indexers.NamespaceIndex, "a").Count <= 1);
            }
        })).ToList();

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("2000", _store.Get(Key)?.GetResourceVersion());
        Assert.Single(_store.ByIndex(Indexers.NodeNameIndex, "n2"));
    }

    /// <summary>Stores a pod no local of the caller references, so a collection can free it once released.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static WeakReference UpsertUnreferenced(ThreadSafeStore store, ObjectKey key, string? nodeName, string resourceVersion, byte[]? utf8 = null)
    {
        var pod = ClientTestObjects.Pod(key.Namespace, key.Name, nodeName: nodeName, resourceVersion: resourceVersion);
        store.Upsert(key, pod, utf8);
        return new WeakReference(pod);
    }

    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

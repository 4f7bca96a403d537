using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Informers;

/// <summary>Notifications after <see cref="SharedInformer.ReleaseCachedObjects"/> let the cache drop its parsed objects.</summary>
public sealed class SharedInformerReleaseTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Upsert_AfterReleaseAndCollection_UpdateCarriesOldAndNewContent()
    {
        var (informer, handler) = NewInformer();
        IReflectorStore store = informer;
        ReplaceUnreferenced(store, "1");
        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 1);
        handler.Clear();

        Assert.Equal(1, informer.ReleaseCachedObjects());
        ThreadSafeStoreReleaseTests.Collect();
        store.Upsert(ClientTestObjects.Pod("a", "p1", nodeName: "n2", resourceVersion: "2"));

        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 1);
        Assert.Equal(["update:p1 1(n1)->2(n2)"], handler.Calls);
        Assert.Equal("2", informer.Lister.Get("a", "p1")?.GetResourceVersion());
    }

    [Fact]
    public async Task Replace_AfterReleaseAndCollection_TombstoneCarriesTheLastContent()
    {
        var (informer, handler) = NewInformer();
        IReflectorStore store = informer;
        ReplaceUnreferenced(store, "4");
        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 1);
        handler.Clear();

        informer.ReleaseCachedObjects();
        ThreadSafeStoreReleaseTests.Collect();
        store.Replace([], "5");

        await AsyncTestHelpers.WaitUntilAsync(() => handler.Calls.Count == 1);
        Assert.Equal(["tombstone:p1 4(n1)"], handler.Calls);
        Assert.Null(informer.Lister.Get("a", "p1"));
    }

    [Fact]
    public async Task AddEventHandler_AfterReleaseAndCollection_InitialAddsHaveTheContent()
    {
        var (informer, _) = NewInformer();
        IReflectorStore store = informer;
        ReplaceUnreferenced(store, "3");
        informer.ReleaseCachedObjects();
        ThreadSafeStoreReleaseTests.Collect();

        var late = new ContentHandler();
        informer.AddEventHandler(late);

        await AsyncTestHelpers.WaitUntilAsync(() => late.Calls.Count == 1);
        Assert.Equal(["add:p1 3(n1)"], late.Calls);
    }

    [Fact]
    public void Replace_SuppliedBytes_ReleasedObjectsAreParsedFromThem()
    {
        var (informer, _) = NewInformer();
        IReflectorStore store = informer;
        var utf8 = ApiJson.ToUtf8(ClientTestObjects.Pod("a", "p1", nodeName: "n1", resourceVersion: "6"));
        ReplaceUnreferenced(store, "6", utf8);

        informer.ReleaseCachedObjects();
        ThreadSafeStoreReleaseTests.Collect();

        Assert.True(JsonNode.DeepEquals(ApiJson.ParseObject(utf8), informer.Lister.Get("a", "p1")));
    }

    [Fact]
    public async Task Factory_ReleaseCachedObjects_ReleasesEveryInformerOnce()
    {
        await using var factory = new SharedInformerFactory(new FakeApiClient(_time), _time, NullLoggerFactory.Instance);
        IReflectorStore pods = factory.InformerFor(KindRegistry.Pods);
        IReflectorStore nodes = factory.InformerFor(KindRegistry.Nodes);
        pods.Replace([ClientTestObjects.Pod("a", "p1"), ClientTestObjects.Pod("a", "p2")], "2");
        nodes.Upsert(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n1" } });

        Assert.Equal(3, factory.ReleaseCachedObjects());
        Assert.Equal(0, factory.ReleaseCachedObjects());
        Assert.Equal("n1", factory.InformerFor(KindRegistry.Nodes).Lister.Get(null, "n1")?.GetName());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReplaceUnreferenced(IReflectorStore store, string resourceVersion, byte[]? utf8 = null) =>
        store.Replace([ClientTestObjects.Pod("a", "p1", nodeName: "n1", resourceVersion: resourceVersion)], resourceVersion,
            utf8 is null ? null : [utf8]);

    private (SharedInformer Informer, ContentHandler Handler) NewInformer()
    {
        var informer = new SharedInformer(new FakeApiClient(_time), KindRegistry.Pods, new InformerOptions(), _time, NullLoggerFactory.Instance);
        var handler = new ContentHandler();
        informer.AddEventHandler(handler);
        return (informer, handler);
    }

    /// <summary>Records each notification with the resourceVersion and node name of the objects it carries.</summary>
    private sealed class ContentHandler : IResourceEventHandler
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public void Clear() => Calls.Clear();

        public void OnAdd(JsonObject obj, bool isInInitialList) => Calls.Enqueue($"add:{obj.GetName()} {Describe(obj)}");

        public void OnUpdate(JsonObject oldObj, JsonObject newObj) =>
            Calls.Enqueue($"update:{newObj.GetName()} {Describe(oldObj)}->{Describe(newObj)}");

        public void OnDelete(JsonObject obj, DeletedFinalStateUnknown? tombstone) =>
            Calls.Enqueue($"{(tombstone is null ? "delete" : "tombstone")}:{obj.GetName()} {Describe(obj)}");

        private static string Describe(JsonObject obj) => $"{obj.GetResourceVersion()}({obj.GetString("spec", "nodeName")})";
    }
}

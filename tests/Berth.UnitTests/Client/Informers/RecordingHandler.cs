using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Client.Informers;

/// <summary>Records informer notifications as short strings: <c>add:name</c>, <c>add*:name</c> (initial list), <c>update:name@rv</c>, <c>delete:name</c>, <c>tombstone:name</c>.</summary>
internal sealed class RecordingHandler : IResourceEventHandler
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public void OnAdd(JsonObject obj, bool isInInitialList) => Calls.Enqueue((isInInitialList ? "add*:" : "add:") + obj.GetName());

    public void OnUpdate(JsonObject oldObj, JsonObject newObj) => Calls.Enqueue($"update:{newObj.GetName()}@{newObj.GetResourceVersion()}");

    public void OnDelete(JsonObject obj, DeletedFinalStateUnknown? tombstone) =>
        Calls.Enqueue((tombstone is null ? "delete:" : "tombstone:") + obj.GetName());

    public bool Saw(string call) => Calls.Contains(call);
}

/// <summary>Records what a reflector hands its store.</summary>
internal sealed class RecordingStore : IReflectorStore
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public void Replace(IReadOnlyList<JsonObject> items, string resourceVersion, IReadOnlyList<ReadOnlyMemory<byte>>? utf8 = null) =>
        Calls.Enqueue($"replace:{items.Count}@{resourceVersion}");

    public void Upsert(JsonObject obj, ReadOnlyMemory<byte> utf8 = default) => Calls.Enqueue($"upsert:{obj.GetName()}@{obj.GetResourceVersion()}");

    public void Delete(JsonObject obj) => Calls.Enqueue("delete:" + obj.GetName());
}

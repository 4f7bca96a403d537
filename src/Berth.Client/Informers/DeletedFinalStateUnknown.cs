using System.Text.Json.Nodes;
using Berth.Machinery.Meta;

namespace Berth.Client.Informers;

/// <summary>
/// A tombstone: the object was in the cache but missing from a relist, so it was deleted while the watch was down
/// and its final state is unknown. <see cref="Obj"/> is the last state the cache saw, possibly stale.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/delta_fifo.go (DeletedFinalStateUnknown).</remarks>
public sealed record DeletedFinalStateUnknown(ObjectKey Key, JsonObject Obj);

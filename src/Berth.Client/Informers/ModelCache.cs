using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Client.Informers;

/// <summary>
/// Deserialises each cached object into <typeparamref name="T"/> at most once. The cache replaces the JSON instance on
/// every change (new resourceVersion), so keying on the instance caches per resourceVersion, and an entry goes away
/// with its JSON object. With 3,000 pods, repeated lister reads then cost a lookup instead of a parse. After the
/// informer released its objects (idle server) a re-parsed object gets its model deserialised once more.
/// Models are shared and <b>read-only</b>, like the JSON they come from.
/// </summary>
/// <remarks>Thread-safe (<see cref="ConditionalWeakTable{TKey,TValue}"/>); a race may deserialise twice, one result wins.</remarks>
public sealed class ModelCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<JsonObject, T> _models = new();

    public T Get(JsonObject obj) => _models.GetValue(obj, static o => ApiJson.ToModel<T>(o));

    /// <summary>Whether a model of <paramref name="obj"/> is cached (it is kept as long as <paramref name="obj"/> lives).</summary>
    internal bool Contains(JsonObject obj) => _models.TryGetValue(obj, out _);
}

using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.Registry.Conversion;

/// <summary>
/// Converts objects of one kind between a served version (<see cref="ServedKind"/>) and its storage version
/// (<see cref="ResourceKind.StorageKind"/>). Both directions take an object with its type meta already checked and
/// return a new object (the input is only read); a malformed round-trip annotation is 400 BadRequest, never 500.
/// Implementations are stateless and thread-safe.
/// Mirrors the conversion functions a scheme registers in k8s.io/apimachinery pkg/runtime (Scheme.Convert), here
/// between two external versions because Berth has no internal version.
/// </summary>
public interface IVersionConverter
{
    /// <summary>The served (non-storage) version this converter handles.</summary>
    ResourceKind ServedKind { get; }

    /// <summary>A request object in the served version, defaulted as that version defaults, in the storage version.</summary>
    JsonObject ToStorage(JsonObject served);

    /// <summary>A stored object in the served version.</summary>
    JsonObject FromStorage(JsonObject stored);
}

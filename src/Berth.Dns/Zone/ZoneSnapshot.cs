using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Berth.Dns.Zone;

/// <summary>
/// The cluster zone at one instant: the records of every name (lower-case, no trailing dot), the names that exist
/// only as parents of others (they answer NODATA rather than NXDOMAIN), and the PTR targets of reverse names
/// (<c>d.c.b.a.in-addr.arpa</c>) of cluster IPs and ready endpoint addresses. Built off the query path and published
/// with <see cref="Volatile.Write{T}(ref T, T)"/>; queries read it without locks.
/// </summary>
public sealed class ZoneSnapshot(
    FrozenDictionary<string, NameRecords> names, FrozenSet<string> interior,
    FrozenDictionary<string, ImmutableArray<string>>? pointers = null)
{
    public static ZoneSnapshot Empty { get; } = new(FrozenDictionary<string, NameRecords>.Empty, FrozenSet<string>.Empty);

    public FrozenDictionary<string, NameRecords> Names { get; } = names;

    public FrozenSet<string> Interior { get; } = interior;

    /// <summary>Reverse name (lower-case, no trailing dot) → the names it points to.</summary>
    public FrozenDictionary<string, ImmutableArray<string>> Pointers { get; } = pointers ?? FrozenDictionary<string, ImmutableArray<string>>.Empty;
}

using System.Collections.Frozen;

namespace Berth.Dns.Zone;

/// <summary>
/// The cluster zone at one instant: the records of every name (lower-case, no trailing dot), and the names that exist
/// only as parents of others (they answer NODATA rather than NXDOMAIN). Built off the query path and published with
/// <see cref="Volatile.Write{T}(ref T, T)"/>; queries read it without locks.
/// </summary>
public sealed class ZoneSnapshot(FrozenDictionary<string, NameRecords> names, FrozenSet<string> interior)
{
    public static ZoneSnapshot Empty { get; } = new(FrozenDictionary<string, NameRecords>.Empty, FrozenSet<string>.Empty);

    public FrozenDictionary<string, NameRecords> Names { get; } = names;

    public FrozenSet<string> Interior { get; } = interior;
}

using System.Collections.Immutable;
using System.Net;

namespace Berth.Dns.Zone;

/// <summary>The records one name of the cluster zone owns. Immutable.</summary>
public sealed record NameRecords(ImmutableArray<IPAddress> Addresses, string? CanonicalName, ImmutableArray<SrvTarget> Services)
{
    public static NameRecords Empty { get; } = new([], null, []);
}

/// <summary>One SRV record: the port and target of a named service port.</summary>
public sealed record SrvTarget(ushort Priority, ushort Weight, ushort Port, string Target);

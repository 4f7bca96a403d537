using System.Text;
using Berth.Machinery.Kinds;
using k8s;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// The served discovery documents, serialised once per format at construction. Immutable and thread-safe; registered
/// as a singleton by <see cref="DiscoveryEndpoints.AddDiscovery"/>.
/// </summary>
public sealed class DiscoveryDocuments
{
    private readonly Dictionary<DiscoveryFormat, byte[]> legacyGroup = [];
    private readonly Dictionary<DiscoveryFormat, byte[]> namedGroups = [];

    public DiscoveryDocuments(IReadOnlyList<ResourceKind> kinds)
    {
        Kinds = kinds;
        foreach (var format in new[] { DiscoveryFormat.AggregatedV2, DiscoveryFormat.AggregatedV2Beta1 })
        {
            legacyGroup[format] = Utf8(AggregatedDiscovery.ForLegacyGroup(kinds, format));
            namedGroups[format] = Utf8(AggregatedDiscovery.ForNamedGroups(kinds, format));
        }
        namedGroups[DiscoveryFormat.Legacy] = Utf8(LegacyDiscovery.GroupList(kinds));
    }

    public IReadOnlyList<ResourceKind> Kinds { get; }

    /// <summary>The <c>/api</c> body for an aggregated format.</summary>
    public byte[] LegacyGroup(DiscoveryFormat aggregated) => legacyGroup[aggregated];

    /// <summary>The <c>/apis</c> body for any served format.</summary>
    public byte[] NamedGroups(DiscoveryFormat format) => namedGroups[format];

    internal static byte[] Utf8<T>(T value) => Encoding.UTF8.GetBytes(KubernetesJson.Serialize(value));
}

using Berth.Machinery.Kinds;
using Berth.Registry.Autoscaling;

namespace Berth.Registry.Conversion;

/// <summary>
/// The converter of every kind in <see cref="KindRegistry.ConvertedVersions"/>. A converted version without a converter
/// here fails at type initialisation, so the two lists cannot drift apart. Immutable; thread-safe.
/// </summary>
public static class VersionConverters
{
    private static readonly Dictionary<ResourceKind, IVersionConverter> ByKind = Build(
        new HorizontalPodAutoscalerV1Conversion());

    /// <summary>The converter of a served kind, or null when the kind is its own storage version.</summary>
    public static IVersionConverter? For(ResourceKind kind) => kind.StorageKind is null ? null : ByKind[kind];

    private static Dictionary<ResourceKind, IVersionConverter> Build(params IVersionConverter[] converters)
    {
        var byKind = converters.ToDictionary(c => c.ServedKind);
        var missing = KindRegistry.ConvertedVersions.Where(k => !byKind.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("No converter for " + string.Join(", ", missing));
        }
        return byKind;
    }
}

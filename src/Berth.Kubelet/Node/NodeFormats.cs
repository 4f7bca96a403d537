using System.Globalization;

namespace Berth.Kubelet.Node;

/// <summary>
/// Wire formats of the node objects: metav1.Time (RFC 3339, whole seconds), metav1.MicroTime (six fractional digits)
/// and canonical binary-SI quantities (<c>16318480Ki</c>, <c>16Gi</c>). Pure functions.
/// </summary>
/// <remarks>Mirrors k8s.io/apimachinery pkg/apis/meta/v1 (Time, MicroTime) and pkg/api/resource (Quantity.String, BinarySI).</remarks>
public static class NodeFormats
{
    private static readonly (string Suffix, long Factor)[] BinarySuffixes =
        [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses Time or MicroTime; null when absent or malformed.</summary>
    public static DateTimeOffset? ParseTime(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    /// <summary>The canonical binary-SI form of a byte count: the largest suffix that divides it exactly, else a plain integer.</summary>
    public static string BinaryQuantity(long bytes)
    {
        if (bytes != 0)
        {
            foreach (var (suffix, factor) in BinarySuffixes)
            {
                if (bytes % factor == 0)
                {
                    return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
                }
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using Berth.Machinery.Meta;

namespace Berth.Kubelet.Node;

/// <summary>
/// Wire formats of the node objects: metav1.Time (RFC 3339, whole seconds), metav1.MicroTime (six fractional digits)
/// and canonical binary-SI quantities (<c>16318480Ki</c>, <c>16Gi</c>). Pure functions.
/// </summary>
/// <remarks>Mirrors k8s.io/apimachinery pkg/apis/meta/v1 (Time, MicroTime) and pkg/api/resource (Quantity.String, BinarySI).</remarks>
public static class NodeFormats
{
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses Time or MicroTime; null when absent or malformed.</summary>
    public static DateTimeOffset? ParseTime(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    /// <summary>The canonical binary-SI form of a byte count: the largest suffix that divides it exactly, else a plain integer.</summary>
    public static string BinaryQuantity(long bytes) => QuantityFormat.Binary(bytes);
}

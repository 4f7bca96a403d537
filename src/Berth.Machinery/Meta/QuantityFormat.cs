using System.Globalization;

namespace Berth.Machinery.Meta;

/// <summary>
/// Canonical string forms of resource quantities, as <c>Quantity.String()</c> writes them: binary-SI byte counts
/// (<c>16318480Ki</c>, <c>16Gi</c>) and decimal-SI counts of nano-units (<c>1234567n</c>, <c>250m</c>, <c>2</c>). Pure.
/// </summary>
/// <remarks>Mirrors k8s.io/apimachinery pkg/api/resource (Quantity.String with the BinarySI and DecimalSI formats).</remarks>
public static class QuantityFormat
{
    private static readonly (string Suffix, long Factor)[] BinarySuffixes =
        [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    private static readonly (string Suffix, long Factor)[] NanoSuffixes =
        [("", 1_000_000_000L), ("m", 1_000_000L), ("u", 1_000L), ("n", 1L)];

    /// <summary>The largest binary suffix that divides <paramref name="bytes"/> exactly, else a plain integer.</summary>
    public static string Binary(long bytes)
    {
        if (bytes != 0)
        {
            foreach (var (suffix, factor) in BinarySuffixes)
            {
                if (bytes % factor == 0)
                {
                    return Text(bytes / factor) + suffix;
                }
            }
        }
        return Text(bytes);
    }

    /// <summary>
    /// A count of nano-units (nanocores for CPU) with the largest decimal suffix that divides it exactly:
    /// <c>2000000000</c> → <c>2</c>, <c>250000000</c> → <c>250m</c>, <c>1234567</c> → <c>1234567n</c>.
    /// </summary>
    public static string DecimalNano(long nanos)
    {
        if (nanos == 0)
        {
            return "0";
        }
        foreach (var (suffix, factor) in NanoSuffixes)
        {
            if (nanos % factor == 0)
            {
                return Text(nanos / factor) + suffix;
            }
        }
        return Text(nanos) + "n";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

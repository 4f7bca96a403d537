using System.Globalization;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// An inclusive port range written <c>30000-32767</c> (a single port <c>N</c> means <c>N-N</c>). Immutable.
/// Mirrors k8s.io/apimachinery pkg/util/net/port_range.go (PortRange).
/// </summary>
public sealed record PortRange(int Base, int Size)
{
    public int Last => Base + Size - 1;

    public override string ToString() => $"{Base.ToString(CultureInfo.InvariantCulture)}-{Last.ToString(CultureInfo.InvariantCulture)}";

    public bool Contains(int port) => port >= Base && port <= Last;

    /// <summary>Parses <c>LOW-HIGH</c> with 1 ≤ LOW ≤ HIGH ≤ 65535; throws <see cref="FormatException"/> otherwise.</summary>
    public static PortRange Parse(string text)
    {
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low) &&
            (parts.Length == 1 ? low : int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : -1) is var high &&
            low is >= 1 and <= 65535 && high >= low && high <= 65535)
        {
            return new PortRange(low, high - low + 1);
        }
        throw new FormatException($"invalid port range \"{text}\": expected LOW-HIGH within 1-65535, such as 30000-32767");
    }
}

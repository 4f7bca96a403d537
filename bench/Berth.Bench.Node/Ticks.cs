namespace Berth.Bench.Node;

/// <summary>Timestamp arithmetic on <see cref="TimeProvider.GetTimestamp"/> values.</summary>
internal static class Ticks
{
    public static double Ms(long from, long to, TimeProvider time) => (to - from) * 1000.0 / time.TimestampFrequency;

    public static long Add(long at, TimeSpan span, TimeProvider time) => at + (long)(span.TotalSeconds * time.TimestampFrequency);
}

namespace Berth.Bench.Api;

/// <summary>
/// Latency samples in milliseconds with nearest-rank percentiles. <see cref="Add"/> and <see cref="AddRange"/> are
/// thread-safe (one lock; callers record once per operation, so contention is negligible next to an HTTPS round trip).
/// </summary>
internal sealed class Latencies
{
    private readonly List<double> _samples = [];
    private double[]? _sorted;

    public int Count
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
            _sorted = null;
        }
    }

    public void AddRange(Latencies other)
    {
        var copy = other.Snapshot();
        lock (_samples)
        {
            _samples.AddRange(copy);
            _sorted = null;
        }
    }

    /// <summary>Nearest-rank percentile (p in 0..100); NaN when there are no samples.</summary>
    public double Percentile(double p)
    {
        double[] sorted;
        lock (_samples)
        {
            sorted = _sorted ??= [.. _samples.Order()];
        }
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public double P50 => Percentile(50);

    public double P99 => Percentile(99);

    public double Max => Percentile(100);

    private double[] Snapshot()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Berth.Bench.Storage;

/// <summary>Thread-safe collection of latency samples in milliseconds with percentile summaries.</summary>
internal sealed class Latencies
{
    private readonly ConcurrentBag<double> _samples = [];

    public int Count => _samples.Count;

    public void Add(long startTimestamp) => _samples.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public void AddMs(double ms) => _samples.Add(ms);

    public double Percentile(double p)
    {
        var sorted = _samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public string Summary => $"{Percentile(50):F2} | {Percentile(99):F2} | {Percentile(100):F2}";
}

namespace Berth.Bench.Proxy;

/// <summary>Collected latencies (microseconds) of one phase, and their percentiles. Not thread-safe: one per client, merged after.</summary>
internal sealed class Latencies
{
    private readonly List<double> _micros = [];

    public int Count => _micros.Count;

    public void Add(TimeSpan elapsed) => _micros.Add(elapsed.TotalMicroseconds);

    public void AddRange(Latencies other) => _micros.AddRange(other._micros);

    public double Percentile(double p)
    {
        if (_micros.Count == 0)
        {
            return double.NaN;
        }
        _micros.Sort();
        var index = (int)Math.Ceiling(p / 100 * _micros.Count) - 1;
        return _micros[Math.Clamp(index, 0, _micros.Count - 1)];
    }
}

using Berth.Bpf;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Kernel;

/// <summary>
/// The <c>lb4_conns</c> array: one value per (service port, endpoint) pair that the kernel programs count in (layout:
/// <see cref="Lb4MapLayout"/>). Hands out an index per <see cref="EndpointStats"/> (zeroing the slot first), copies the
/// counts into <see cref="EndpointStats.Kernel"/> at scrape time, and takes an index back once the registry forgot its
/// pair (retired and exported) and no connection counted there is open (a closing one would otherwise subtract from
/// the next owner). Thread-safe: the sync loop takes indices, the scraper refreshes.
/// </summary>
internal sealed class KernelConnectionCounters(BpfMap map, int capacity, EndpointStatsRegistry registry)
{
    private readonly Dictionary<EndpointStats, uint> _indices = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<uint> _free = new();
    private readonly Lock _lock = new();
    private uint _next;

    /// <summary>The index of <paramref name="stats"/>'s counter; throws when all <c>capacity</c> are taken.</summary>
    public uint IndexOf(EndpointStats stats)
    {
        lock (_lock)
        {
            if (_indices.TryGetValue(stats, out var index))
            {
                return index;
            }
            index = _free.Count > 0 ? _free.Pop() : _next < capacity ? _next++ : throw new BpfException("lb4_conns full", 28);
            map.Update(Lb4MapLayout.CounterKey(index), new byte[Lb4MapLayout.CounterValueSize]);
            _indices[stats] = index;
            return index;
        }
    }

    /// <summary>Copies every counter into its stats, and frees the indices of pairs the registry no longer holds.</summary>
    public void Refresh()
    {
        var value = new byte[Lb4MapLayout.CounterValueSize];
        lock (_lock)
        {
            foreach (var (stats, index) in _indices.ToList())
            {
                if (map.TryLookup(Lb4MapLayout.CounterKey(index), value))
                {
                    stats.Kernel = Read(value);
                }
                if (!ReferenceEquals(registry.Find(stats.Port, stats.Endpoint), stats) && stats.Kernel.Active <= 0)
                {
                    _indices.Remove(stats);
                    _free.Push(index);
                }
            }
        }
    }

    private static KernelCounts Read(ReadOnlySpan<byte> value) => new(
        BitConverter.ToInt64(value[Lb4MapLayout.Connects..]),
        BitConverter.ToInt64(value[Lb4MapLayout.Active..]),
        BitConverter.ToInt64(value[Lb4MapLayout.BytesIn..]),
        BitConverter.ToInt64(value[Lb4MapLayout.BytesOut..]),
        BitConverter.ToInt64(value[Lb4MapLayout.DialFailures..]));
}

using System.Collections;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// A set of offsets 0..<see cref="Size"/>-1, each free or allocated. Dynamic allocation scans from a random start
/// inside a preferred band first, then the rest, so concurrent clients rarely want the same offset.
/// Mirrors kubernetes/kubernetes pkg/registry/core/service/allocator/bitmap.go (AllocationBitmap) with the
/// offset-band strategy of KEP-3070 (randomScanStrategyWithOffset).
/// </summary>
/// <remarks>Thread-safe: every operation takes one lock, so two callers wanting one offset get it exactly once.</remarks>
internal sealed class AllocationBitmap
{
    private readonly object _gate = new();
    private readonly BitArray _bits;
    private readonly Func<int, int> _random;
    private int _count;

    /// <param name="size">Number of offsets.</param>
    /// <param name="random">Returns a value in [0, n); <see cref="Random.Shared"/> when null.</param>
    public AllocationBitmap(int size, Func<int, int>? random = null)
    {
        Size = size;
        _bits = new BitArray(size);
        _random = random ?? Random.Shared.Next;
    }

    public int Size { get; }

    /// <summary>Allocated offsets.</summary>
    public int Used
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Marks <paramref name="offset"/> allocated; false when it already was.</summary>
    public bool Allocate(int offset)
    {
        lock (_gate)
        {
            if (_bits[offset])
            {
                return false;
            }
            _bits[offset] = true;
            _count++;
            return true;
        }
    }

    /// <summary>
    /// Allocates a free offset not rejected by <paramref name="skip"/>, preferring offsets ≥ <paramref name="bandStart"/>;
    /// with <paramref name="peek"/> only finds one. Null when none is free.
    /// </summary>
    public int? AllocateNext(int bandStart, Func<int, bool> skip, bool peek = false)
    {
        lock (_gate)
        {
            var found = Scan(bandStart, Size, skip) ?? Scan(0, bandStart, skip);
            if (found is { } offset && !peek)
            {
                _bits[offset] = true;
                _count++;
            }
            return found;
        }
    }

    public bool Has(int offset)
    {
        lock (_gate)
        {
            return _bits[offset];
        }
    }

    /// <summary>Frees <paramref name="offset"/>; freeing a free offset does nothing.</summary>
    public void Release(int offset)
    {
        lock (_gate)
        {
            if (_bits[offset])
            {
                _bits[offset] = false;
                _count--;
            }
        }
    }

    /// <summary>A free offset in [from, to) from a random start, wrapping around; caller holds the lock.</summary>
    private int? Scan(int from, int to, Func<int, bool> skip)
    {
        var length = to - from;
        if (length <= 0)
        {
            return null;
        }
        var start = _random(length);
        for (var i = 0; i < length; i++)
        {
            var offset = from + ((start + i) % length);
            if (!_bits[offset] && !skip(offset))
            {
                return offset;
            }
        }
        return null;
    }
}

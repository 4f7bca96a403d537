namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// Node ports of one range. A requested port is given if it is inside the range and free; dynamic allocation
/// prefers the upper part of the range (KEP-3668). Mirrors kubernetes/kubernetes
/// pkg/registry/core/service/portallocator/allocator.go (PortAllocator: Allocate, AllocateNext, Release, Has).
/// </summary>
/// <remarks>Thread-safe; each call is atomic.</remarks>
public sealed class NodePortAllocator
{
    private readonly AllocationBitmap _bitmap;
    private readonly int _bandStart;

    public NodePortAllocator(PortRange range, Func<int, int>? random = null)
    {
        Range = range;
        _bitmap = new AllocationBitmap(range.Size, random);
        _bandStart = Math.Min(Math.Max(16, range.Size / 32), 128);
        if (_bandStart >= range.Size)
        {
            _bandStart = 0;
        }
    }

    public PortRange Range { get; }

    public int Used => _bitmap.Used;

    /// <summary>Allocates <paramref name="port"/> (checks only when <paramref name="dryRun"/>); throws <see cref="AllocationException"/>.</summary>
    public void Allocate(int port, bool dryRun = false)
    {
        if (!Range.Contains(port))
        {
            throw new AllocationException($"provided port is not in the valid range. The range of valid ports is {Range}");
        }
        var taken = dryRun ? _bitmap.Has(port - Range.Base) : !_bitmap.Allocate(port - Range.Base);
        if (taken)
        {
            throw new AllocationException("provided port is already allocated");
        }
    }

    /// <summary>A free port, allocated unless <paramref name="dryRun"/>; throws <see cref="AllocationException"/> when full.</summary>
    public int AllocateNext(bool dryRun = false) =>
        Range.Base + (_bitmap.AllocateNext(_bandStart, _ => false, dryRun) ?? throw new AllocationException("range is full", full: true));

    public void Release(int port)
    {
        if (Range.Contains(port))
        {
            _bitmap.Release(port - Range.Base);
        }
    }

    public bool Has(int port) => Range.Contains(port) && _bitmap.Has(port - Range.Base);
}

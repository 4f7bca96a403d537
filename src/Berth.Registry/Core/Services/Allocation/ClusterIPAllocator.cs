using System.Net;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// Cluster IPs of one IPv4 range. A requested IP is given if it is inside the range and free; dynamic allocation
/// prefers the upper part of the range and never hands out the reserved addresses (the first one, which the
/// <c>kubernetes</c> Service asks for, and the cluster DNS address), which stay available to explicit requests.
/// Mirrors kubernetes/kubernetes pkg/registry/core/service/ipallocator/bitmap.go (Range: Allocate, AllocateNext,
/// Release, Has) with KEP-3070's static band.
/// </summary>
/// <remarks>Thread-safe; each call is atomic.</remarks>
public sealed class ClusterIPAllocator
{
    private readonly AllocationBitmap _bitmap;
    private readonly HashSet<int> _reserved;
    private readonly int _bandStart;

    public ClusterIPAllocator(ServiceIPRange range, IEnumerable<IPAddress> reserved, Func<int, int>? random = null)
    {
        Range = range;
        _bitmap = new AllocationBitmap(range.Size, random);
        _reserved = [.. reserved.Select(range.OffsetOf).OfType<int>()];
        _bandStart = Math.Min(Math.Max(16, range.Size / 16), 256);
        if (_bandStart >= range.Size)
        {
            _bandStart = 0;
        }
    }

    public ServiceIPRange Range { get; }

    /// <summary>Allocated addresses.</summary>
    public int Used => _bitmap.Used;

    /// <summary>Allocates <paramref name="ip"/> (checks only when <paramref name="dryRun"/>); throws <see cref="AllocationException"/>.</summary>
    public void Allocate(IPAddress ip, bool dryRun = false)
    {
        var offset = Range.OffsetOf(ip) ??
            throw new AllocationException($"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {Range.Cidr}");
        var taken = dryRun ? _bitmap.Has(offset) : !_bitmap.Allocate(offset);
        if (taken)
        {
            throw new AllocationException("provided IP is already allocated");
        }
    }

    /// <summary>A free address, allocated unless <paramref name="dryRun"/>; throws <see cref="AllocationException"/> when full.</summary>
    public IPAddress AllocateNext(bool dryRun = false)
    {
        var offset = _bitmap.AllocateNext(_bandStart, _reserved.Contains, dryRun) ?? throw new AllocationException("range is full", full: true);
        return Range.At(offset);
    }

    /// <summary>Frees <paramref name="ip"/>; addresses outside the range or already free are ignored.</summary>
    public void Release(IPAddress ip)
    {
        if (Range.OffsetOf(ip) is { } offset)
        {
            _bitmap.Release(offset);
        }
    }

    public bool Has(IPAddress ip) => Range.OffsetOf(ip) is { } offset && _bitmap.Has(offset);
}

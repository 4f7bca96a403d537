namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// A refused allocation. <see cref="Exception.Message"/> is upstream's error text ("provided IP is already allocated",
/// "provided IP is not in the valid range. The range of valid IPs is …", "range is full"), which the registry wraps
/// in a 422 field error. Mirrors the errors of kubernetes/kubernetes pkg/registry/core/service/ipallocator/interfaces.go
/// and portallocator/allocator.go.
/// </summary>
public sealed class AllocationException(string message, bool full = false) : Exception(message)
{
    /// <summary>True when the range has no free value left (upstream ErrFull).</summary>
    public bool Full { get; } = full;
}

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// An IPv4 CIDR as a run of offsets: offset 0 is the first address after the network address, and the broadcast
/// address is excluded, as upstream does for IPv4. Immutable. Mirrors the range arithmetic of kubernetes/kubernetes
/// pkg/registry/core/service/ipallocator/bitmap.go (NewAllocatorCIDRRange, RangeSize).
/// </summary>
public sealed class ServiceIPRange
{
    private readonly uint _network;
    private readonly uint _mask;

    private ServiceIPRange(uint network, int prefix)
    {
        _mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        _network = network & _mask;
        Prefix = prefix;
        var total = prefix == 0 ? (1L << 32) : 1L << (32 - prefix);
        Size = (int)Math.Min(Math.Max(total - 2, 0), int.MaxValue);
    }

    public int Prefix { get; }

    /// <summary>Allocatable addresses (network and broadcast excluded).</summary>
    public int Size { get; }

    /// <summary>Canonical CIDR text, e.g. <c>127.96.0.0/16</c>.</summary>
    public string Cidr => $"{ToAddress(_network)}/{Prefix.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Cidr;

    /// <summary>Parses an IPv4 CIDR of prefix 8–30; throws <see cref="FormatException"/> otherwise.</summary>
    public static ServiceIPRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork ||
            !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 8 or > 30)
        {
            throw new FormatException($"invalid service CIDR \"{cidr}\": expected an IPv4 CIDR with a prefix of 8 to 30 bits, such as 127.96.0.0/16");
        }
        return new ServiceIPRange(ToUInt(ip), prefix);
    }

    /// <summary>True when the two CIDRs share an address.</summary>
    public bool Overlaps(ServiceIPRange other)
    {
        var mask = Prefix < other.Prefix ? _mask : other._mask;
        return (_network & mask) == (other._network & mask);
    }

    /// <summary>True when <paramref name="ip"/> is inside the CIDR (network and broadcast included).</summary>
    public bool Contains(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetwork && (ToUInt(ip) & _mask) == _network;

    /// <summary>The offset of <paramref name="ip"/>, or null when it is not allocatable here.</summary>
    public int? OffsetOf(IPAddress ip)
    {
        if (!Contains(ip))
        {
            return null;
        }
        var offset = (long)ToUInt(ip) - _network - 1;
        return offset >= 0 && offset < Size ? (int)offset : null;
    }

    public IPAddress At(int offset) => ToAddress(_network + 1 + (uint)offset);

    private static uint ToUInt(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}

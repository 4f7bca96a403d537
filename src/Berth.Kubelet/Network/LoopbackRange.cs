using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Kubelet.Network;

/// <summary>
/// An IPv4 range inside 127.0.0.0/8 and the addresses in it that may be given to pods: every address except the
/// range's network address, the address after it (the gateway host-local reserves), the broadcast address,
/// addresses whose last octet is 0 or 255 (legal on a /16, but easily mistaken for network or broadcast addresses by
/// people and tools), and 127.0.0.1 (the node's own address).
/// Immutable and thread-safe. Mirrors the range arithmetic of containernetworking/plugins
/// plugins/ipam/host-local/backend/allocator (range.go).
/// </summary>
internal sealed class LoopbackRange
{
    private const uint LoopbackNet = 127u << 24;
    private const uint NodeAddress = LoopbackNet | 1;

    private LoopbackRange(string cidr, uint network, int prefixLength)
    {
        Cidr = cidr;
        Network = network;
        Size = 1u << (32 - prefixLength);
    }

    /// <summary>The range in canonical CIDR form (network address / prefix).</summary>
    public string Cidr { get; }

    /// <summary>The network address as a host-order integer.</summary>
    public uint Network { get; }

    /// <summary>Addresses in the range, unusable ones included.</summary>
    public uint Size { get; }

    /// <summary>Parses <paramref name="cidr"/>; throws <see cref="ArgumentException"/> when it is malformed or outside 127.0.0.0/8.</summary>
    public static LoopbackRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            throw new ArgumentException($"invalid pod CIDR \"{cidr}\": expected an IPv4 CIDR such as 127.1.0.0/16", nameof(cidr));
        }
        if (prefix is < 8 or > 30)
        {
            throw new ArgumentException($"invalid pod CIDR \"{cidr}\": the prefix length must be between 8 and 30", nameof(cidr));
        }
        var mask = uint.MaxValue << (32 - prefix);
        var network = ToUInt32(address) & mask;
        if ((network & 0xFF000000u) != LoopbackNet)
        {
            throw new ArgumentException($"invalid pod CIDR \"{cidr}\": pod addresses must lie inside 127.0.0.0/8", nameof(cidr));
        }
        return new LoopbackRange($"{ToAddress(network)}/{prefix.ToString(CultureInfo.InvariantCulture)}", network, prefix);
    }

    /// <summary>True when <paramref name="value"/> is inside the range and may be given to a pod.</summary>
    public bool IsAssignable(uint value)
    {
        if (value - Network >= Size || value == Network || value == Network + 1 || value == Network + Size - 1 || value == NodeAddress)
        {
            return false;
        }
        var lastOctet = value & 0xFF;
        return lastOctet is not (0 or 255);
    }

    /// <summary>True when <paramref name="address"/> is an IPv4 literal that <see cref="IsAssignable(uint)"/> accepts.</summary>
    public bool IsAssignable(string address) => TryParse(address, out var value) && IsAssignable(value);

    /// <summary>The address after <paramref name="value"/> in the range, wrapping to the start.</summary>
    public uint Next(uint value) => value - Network + 1 >= Size ? Network : value + 1;

    public static bool TryParse(string address, out uint value)
    {
        value = 0;
        if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        value = ToUInt32(parsed);
        return true;
    }

    public static string ToAddress(uint value) => string.Create(CultureInfo.InvariantCulture,
        $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}");

    private static uint ToUInt32(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}

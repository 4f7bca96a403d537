using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Kernel;

/// <summary>
/// The byte layout of the socket load balancer's three maps, shared by <see cref="Sock4ConnectProgram"/> (which reads
/// them in the kernel) and <see cref="SocketLoadBalancer"/> (which writes them). Addresses and ports are in network
/// byte order, as <c>struct bpf_sock_addr</c> holds them, so a key is the bytes the program copies from the context.
/// Names follow Cilium's lb4 maps (bpf/lib/lb.h: lb4_key, lb4_service, lb4_backend).
/// <list type="bullet">
/// <item><c>lb4_services</c> (hash): key {vip u8[4], port u8[2], pad u16 = 0} → value {count u32, id u32}: the
/// ClusterIP:port and how many backends it has under which backend-set id.</item>
/// <item><c>lb4_backends</c> (hash): key {id u32, slot u32} (slot &lt; count) → value {ip u8[4], port u8[2], pad u16 = 0,
/// counter u32}: where a connect is sent, and its index in <c>lb4_conns</c>.</item>
/// <item><c>lb4_conns</c> (array): per (service port, endpoint) five u64 the programs add to atomically: connects
/// routed there (@0), connections open now (@8), bytes the client sent and the endpoint acknowledged (@16), bytes the
/// client received (@24), and connects turned away from it because it had no listener (@32).</item>
/// <item><c>lb4_socks</c> (LRU hash): key socket cookie u64 → value counter index u32, written by the connect program
/// for each connect it routes, read by <see cref="SockOpsProgram"/> and deleted once the connection closes.</item>
/// </list>
/// </summary>
internal static class Lb4MapLayout
{
    public const int ServiceKeySize = 8;
    public const int ServiceValueSize = 8;
    public const int BackendKeySize = 8;
    public const int BackendValueSize = 12;
    public const int CounterValueSize = 40;
    public const int SocketKeySize = 8, SocketValueSize = 4;

    /// <summary>Offsets of the u64 fields in an <c>lb4_conns</c> value.</summary>
    public const short Connects = 0, Active = 8, BytesIn = 16, BytesOut = 24, DialFailures = 32;

    /// <summary>Offsets in <c>struct bpf_sock_addr</c> (include/uapi/linux/bpf.h), each a u32 the program may read (and for the first two, write).</summary>
    public const short UserIp4 = 4, UserPort = 24, SocketType = 32;

    public static byte[] ServiceKey(IPAddress vip, int port)
    {
        var key = new byte[ServiceKeySize];
        WriteAddress(key, vip, port);
        return key;
    }

    public static byte[] ServiceValue(int count, uint id)
    {
        var value = new byte[ServiceValueSize];
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)count);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), id);
        return value;
    }

    public static byte[] BackendKey(uint id, int slot)
    {
        var key = new byte[BackendKeySize];
        BinaryPrimitives.WriteUInt32LittleEndian(key, id);
        BinaryPrimitives.WriteUInt32LittleEndian(key.AsSpan(4), (uint)slot);
        return key;
    }

    public static byte[] BackendValue(IPEndPoint endpoint, uint counter)
    {
        var value = new byte[BackendValueSize];
        WriteAddress(value, endpoint.Address, endpoint.Port);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(8), counter);
        return value;
    }

    public static byte[] CounterKey(uint index) => BitConverter.GetBytes(index);

    /// <summary>The address's 4 bytes then the port big-endian; the two pad bytes stay zero.</summary>
    private static void WriteAddress(Span<byte> destination, IPAddress address, int port)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || !address.TryWriteBytes(destination, out _))
        {
            throw new ArgumentException($"{address} is not IPv4", nameof(address));
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], checked((ushort)port));
    }
}

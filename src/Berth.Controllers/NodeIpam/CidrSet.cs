using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Controllers.NodeIpam;

/// <summary>
/// The per-node subnets of one IPv4 cluster CIDR and which of them are taken, as a bitmap indexed by subnet number.
/// <see cref="AllocateNext"/> continues after the last subnet handed out and wraps around; <see cref="Occupy"/> marks
/// a subnet some node already holds (rebuilding the bitmap from the Node objects on start); <see cref="Release"/>
/// frees it when its node is deleted.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/nodeipam/ipam/cidrset/cidr_set.go (IPv4 only): the same subnet
/// order, the 16-bit limit between cluster and node mask, and the upstream error texts. Thread-safe (one lock).
/// </remarks>
public sealed class CidrSet
{
    /// <summary>Upstream clusterSubnetMaxDiff: at most 2^16 node subnets per cluster CIDR.</summary>
    public const int MaxSubnetBits = 16;

    private readonly object _gate = new();
    private readonly bool[] _used;
    private readonly uint _base;
    private readonly int _clusterPrefix;
    private int _next;
    private int _allocated;

    /// <summary>Throws <see cref="ArgumentException"/> for a malformed or non-IPv4 CIDR or an impossible mask size.</summary>
    public CidrSet(string clusterCidr, int nodeMaskSize)
    {
        if (!IPNetwork.TryParse(clusterCidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"invalid cluster CIDR \"{clusterCidr}\": expected an IPv4 CIDR such as 127.1.0.0/16", nameof(clusterCidr));
        }
        if (nodeMaskSize < network.PrefixLength || nodeMaskSize > 30)
        {
            throw new ArgumentException($"the node CIDR mask size /{nodeMaskSize} must lie between the cluster CIDR's /{network.PrefixLength} and /30",
                nameof(nodeMaskSize));
        }
        if (nodeMaskSize - network.PrefixLength > MaxSubnetBits)
        {
            throw new ArgumentException("CIDRSet: the cluster CIDR mask and the node CIDR mask differ by more than 16 bits", nameof(nodeMaskSize));
        }
        _base = ToUInt32(network.BaseAddress);
        _clusterPrefix = network.PrefixLength;
        NodeMaskSize = nodeMaskSize;
        ClusterCidr = network.ToString();
        _used = new bool[1 << (nodeMaskSize - network.PrefixLength)];
    }

    /// <summary>The cluster CIDR in canonical form.</summary>
    public string ClusterCidr { get; }

    public int NodeMaskSize { get; }

    /// <summary>Number of node subnets in the cluster CIDR.</summary>
    public int Capacity => _used.Length;

    /// <summary>Subnets currently taken.</summary>
    public int Allocated
    {
        get { lock (_gate) { return _allocated; } }
    }

    /// <summary>Takes the next free subnet. Throws <see cref="InvalidOperationException"/> when every subnet is taken.</summary>
    public string AllocateNext()
    {
        lock (_gate)
        {
            for (var i = 0; i < _used.Length; i++)
            {
                var candidate = (_next + i) % _used.Length;
                if (!_used[candidate])
                {
                    _used[candidate] = true;
                    _allocated++;
                    _next = (candidate + 1) % _used.Length;
                    return SubnetAt(candidate);
                }
            }
            throw new InvalidOperationException("CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range");
        }
    }

    /// <summary>
    /// Marks <paramref name="cidr"/> as taken (idempotent). A CIDR of another size covering several subnets marks them
    /// all. Throws <see cref="ArgumentException"/> when it is malformed or outside the cluster CIDR.
    /// </summary>
    public void Occupy(string cidr)
    {
        var (first, last) = Indices(cidr);
        lock (_gate)
        {
            for (var i = first; i <= last; i++)
            {
                if (!_used[i])
                {
                    _used[i] = true;
                    _allocated++;
                }
            }
        }
    }

    /// <summary>Frees <paramref name="cidr"/> (idempotent). Throws <see cref="ArgumentException"/> like <see cref="Occupy"/>.</summary>
    public void Release(string cidr)
    {
        var (first, last) = Indices(cidr);
        lock (_gate)
        {
            for (var i = first; i <= last; i++)
            {
                if (_used[i])
                {
                    _used[i] = false;
                    _allocated--;
                }
            }
        }
    }

    /// <summary>True when <paramref name="cidr"/> is a well-formed IPv4 CIDR inside the cluster CIDR.</summary>
    public bool Contains(string cidr)
    {
        try
        {
            Indices(cidr);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private string SubnetAt(int index)
    {
        var address = _base + ((uint)index << (32 - NodeMaskSize));
        return string.Create(CultureInfo.InvariantCulture,
            $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}/{NodeMaskSize}");
    }

    /// <summary>The first and last subnet index a CIDR covers (upstream getIndexForIP / getBeginningAndEndIndices).</summary>
    private (int First, int Last) Indices(string cidr)
    {
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"invalid CIDR \"{cidr}\"", nameof(cidr));
        }
        var start = ToUInt32(network.BaseAddress);
        var clusterMask = _clusterPrefix == 0 ? 0u : uint.MaxValue << (32 - _clusterPrefix);
        if (network.PrefixLength < _clusterPrefix || (start & clusterMask) != _base)
        {
            throw new ArgumentException($"cidr {cidr} is out the range of cluster cidr {ClusterCidr}", nameof(cidr));
        }
        var end = start + (uint)((1UL << (32 - network.PrefixLength)) - 1);
        var shift = 32 - NodeMaskSize;
        return ((int)((start - _base) >> shift), (int)((end - _base) >> shift));
    }

    private static uint ToUInt32(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}

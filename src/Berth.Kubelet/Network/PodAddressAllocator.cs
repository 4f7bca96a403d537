using Berth.Kubelet.Abstractions;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Network;

/// <summary>
/// Gives every pod its own loopback address from its range — the Node's <c>spec.podCIDR</c> once
/// <see cref="SetPodCidr"/> delivered it, or the fixed <see cref="PodNetworkOptions.PodCidr"/> (Linux routes all of
/// 127.0.0.0/8 to <c>lo</c>, so a container can bind its address without any setup). Allocation continues after the
/// last address handed out and wraps around, so a just-released address is the last to be reused (stale clients
/// rarely reach a new pod). Every change is persisted before the call returns, so allocations survive an agent
/// restart and an adopted pod keeps its address.
/// </summary>
/// <remarks>
/// Mirrors containernetworking/plugins plugins/ipam/host-local (allocator.go Get/Release, disk store). Thread-safe:
/// one lock around the table and the file. Entries loaded from disk that lie outside the range (the range was
/// changed) or duplicate another pod's address are dropped with a warning; with a node-assigned range that check
/// waits until the range is known.
/// </remarks>
public sealed partial class PodAddressAllocator : IPodNetwork
{
    private readonly object _gate = new();
    private LoopbackRange? _range;
    private readonly PodAddressStateFile _file;
    private readonly ILogger<PodAddressAllocator> _logger;
    private readonly Dictionary<string, string> _byPod = new(StringComparer.Ordinal);
    private readonly HashSet<uint> _used = [];
    private uint _last;

    /// <summary>Loads the persisted allocations. Throws <see cref="ArgumentException"/> for a bad range and IO/JSON errors for a damaged state file.</summary>
    public PodAddressAllocator(PodNetworkOptions options, ILogger<PodAddressAllocator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _range = options.FromNodePodCidr ? null : LoopbackRange.Parse(options.PodCidr);
        _file = new PodAddressStateFile(options.StateDirectory);
        _logger = logger;
        HostIP = options.HostIP;
        _last = _range?.Network ?? 0;
        Load();
    }

    public string HostIP { get; }

    /// <summary>The range in canonical form, e.g. <c>127.1.0.0/24</c>; null while a node-assigned range has not arrived.</summary>
    public string? PodCidr
    {
        get { lock (_gate) { return _range?.Cidr; } }
    }

    /// <summary>
    /// Sets the range to the Node's <paramref name="cidr"/> (called whenever the Node is seen; idempotent). Existing
    /// allocations outside the new range are dropped with a warning, the rest are kept. Returns true when the range
    /// changed. Throws <see cref="ArgumentException"/> for a CIDR outside 127.0.0.0/8.
    /// </summary>
    public bool SetPodCidr(string cidr)
    {
        var range = LoopbackRange.Parse(cidr);
        lock (_gate)
        {
            if (_range?.Cidr == range.Cidr)
            {
                return false;
            }
            _range = range;
            foreach (var (uid, address) in _byPod.ToList())
            {
                if (!range.IsAssignable(address))
                {
                    Log.DroppedStale(_logger, uid, address, range.Cidr);
                    _byPod.Remove(uid);
                    LoopbackRange.TryParse(address, out var value);
                    _used.Remove(value);
                }
            }
            if (_last - range.Network >= range.Size)
            {
                _last = range.Network;
            }
            Persist();
            Log.RangeSet(_logger, range.Cidr);
            return true;
        }
    }

    /// <summary>The current allocations (pod UID → address), a copy.</summary>
    public IReadOnlyDictionary<string, string> Allocations
    {
        get { lock (_gate) { return new Dictionary<string, string>(_byPod, StringComparer.Ordinal); } }
    }

    public string AllocatePodIP(string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        lock (_gate)
        {
            if (_byPod.TryGetValue(podUid, out var existing))
            {
                return existing;
            }
            var range = _range ?? throw new InvalidOperationException("network is not ready: the node has no pod CIDR (spec.podCIDR) assigned yet");
            var candidate = _last;
            for (var tried = 0u; tried < range.Size; tried++)
            {
                candidate = range.Next(candidate);
                if (range.IsAssignable(candidate) && !_used.Contains(candidate))
                {
                    var address = LoopbackRange.ToAddress(candidate);
                    _byPod[podUid] = address;
                    _used.Add(candidate);
                    _last = candidate;
                    Persist();
                    Log.Allocated(_logger, podUid, address);
                    return address;
                }
            }
            throw new InvalidOperationException($"no IP addresses available in range set: {range.Cidr}");
        }
    }

    public void ReleasePodIP(string podUid)
    {
        lock (_gate)
        {
            if (podUid is null || !_byPod.Remove(podUid, out var address))
            {
                return;
            }
            LoopbackRange.TryParse(address, out var value);
            _used.Remove(value);
            Persist();
            Log.Released(_logger, podUid, address);
        }
    }

    /// <summary>
    /// Releases every allocation whose pod UID is not in <paramref name="livePodUids"/> (housekeeping after an agent
    /// restart, for pods deleted while it was down). Returns the released UIDs.
    /// </summary>
    public IReadOnlyList<string> ReleaseAllExcept(IReadOnlySet<string> livePodUids)
    {
        ArgumentNullException.ThrowIfNull(livePodUids);
        lock (_gate)
        {
            var stale = _byPod.Keys.Where(uid => !livePodUids.Contains(uid)).ToList();
            foreach (var uid in stale)
            {
                ReleasePodIP(uid);
            }
            return stale;
        }
    }

    private void Load()
    {
        var state = _file.Load();
        if (state is null)
        {
            return;
        }
        foreach (var (uid, address) in state.Pods)
        {
            if ((_range is not null && !_range.IsAssignable(address)) || !LoopbackRange.TryParse(address, out var value) || !_used.Add(value))
            {
                Log.DroppedStale(_logger, uid, address, _range?.Cidr ?? "(no range yet)");
                continue;
            }
            _byPod[uid] = address;
        }
        if (state.Last is { } last && LoopbackRange.TryParse(last, out var lastValue) && (_range is null || lastValue - _range.Network < _range.Size))
        {
            _last = lastValue;
        }
        Log.Loaded(_logger, _byPod.Count, _file.Path);
    }

    private void Persist() => _file.Save(new PodAddressState(_range?.Cidr, LoopbackRange.ToAddress(_last), _byPod));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5700, Level = LogLevel.Debug, Message = "Allocated pod IP {PodIP} to pod {PodUid}")]
        public static partial void Allocated(ILogger logger, string podUid, string podIP);

        [LoggerMessage(EventId = 5701, Level = LogLevel.Debug, Message = "Released pod IP {PodIP} of pod {PodUid}")]
        public static partial void Released(ILogger logger, string podUid, string podIP);

        [LoggerMessage(EventId = 5702, Level = LogLevel.Warning, Message = "Dropping persisted pod IP {PodIP} of pod {PodUid}: not assignable in {PodCidr} or already in use")]
        public static partial void DroppedStale(ILogger logger, string podUid, string podIP, string podCidr);

        [LoggerMessage(EventId = 5704, Level = LogLevel.Information, Message = "Pod address range is now {PodCidr}")]
        public static partial void RangeSet(ILogger logger, string podCidr);

        [LoggerMessage(EventId = 5703, Level = LogLevel.Information, Message = "Loaded {Count} pod IP allocations from {Path}")]
        public static partial void Loaded(ILogger logger, int count, string path);
    }
}

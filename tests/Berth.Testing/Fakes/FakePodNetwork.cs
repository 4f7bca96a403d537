using System.Globalization;
using Berth.Kubelet.Abstractions;

namespace Berth.Testing.Fakes;

/// <summary>
/// An <see cref="IPodNetwork"/> that hands out 127.1.0.&lt;n&gt; addresses in allocation order and never exhausts
/// below 254 pods. Records releases in <see cref="Released"/>. Thread-safe (one lock).
/// </summary>
public sealed class FakePodNetwork(string hostIP = "127.0.0.1") : IPodNetwork
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _allocated = new(StringComparer.Ordinal);
    private readonly List<string> _released = [];
    private int _next = 1;

    public string HostIP { get; } = hostIP;

    /// <summary>UIDs passed to <see cref="ReleasePodIP"/>, in call order (duplicates kept).</summary>
    public IReadOnlyList<string> Released
    {
        get { lock (_gate) { return [.. _released]; } }
    }

    /// <summary>The current allocations (uid → ip).</summary>
    public IReadOnlyDictionary<string, string> Allocated
    {
        get { lock (_gate) { return new Dictionary<string, string>(_allocated); } }
    }

    public string AllocatePodIP(string podUid)
    {
        lock (_gate)
        {
            if (_allocated.TryGetValue(podUid, out var ip))
            {
                return ip;
            }

            if (_next > 254)
            {
                throw new InvalidOperationException("fake pod network range exhausted");
            }

            ip = "127.1.0." + (_next++).ToString(CultureInfo.InvariantCulture);
            _allocated[podUid] = ip;
            return ip;
        }
    }

    public void ReleasePodIP(string podUid)
    {
        lock (_gate)
        {
            _allocated.Remove(podUid);
            _released.Add(podUid);
        }
    }
}

namespace Berth.Testing.Server;

/// <summary>
/// Address ranges for test servers that run side by side on one machine's loopback. Every server's pods would
/// otherwise get addresses from the same first /24 of 127.1.0.0/16 and its Services from the same 127.96.0.0/16, so
/// two servers' pods would contend for one IP:port and their proxies for one ClusterIP. Each range is derived from
/// the data directory, so a server restarted over the same data keeps its ranges.
/// </summary>
public static class TestNetworkRanges
{
    /// <summary>A /22 (four node /24s) out of 127.10.0.0–127.89.255.255: 5,120 slots, away from Services (127.96+).</summary>
    public static string ClusterCidr(string dataDir)
    {
        var slot = (int)(Hash(dataDir, 0x9e3779b9u) % (80 * 64));
        return $"127.{10 + slot / 64}.{slot % 64 * 4}.0/22";
    }

    /// <summary>A /27 (30 Service IPs) out of 127.96.8.0–127.96.255.255: 1,984 slots.</summary>
    public static string ServiceClusterIPRange(string dataDir)
    {
        var slot = 64 + (int)(Hash(dataDir, 2166136261u) % 1984);
        return $"127.96.{slot / 8}.{slot % 8 * 32}/27";
    }

    /// <summary>FNV-1a; string.GetHashCode is randomised per process and so would not survive a restart of the test.</summary>
    private static uint Hash(string text, uint seed) => text.Aggregate(seed, (h, c) => (h ^ c) * 16777619u);
}

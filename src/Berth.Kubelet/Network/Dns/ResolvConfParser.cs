namespace Berth.Kubelet.Network.Dns;

/// <summary>
/// Reads the host's resolv.conf: every <c>nameserver</c>, the last <c>search</c> line (trailing dots trimmed, "."
/// dropped), every <c>options</c> entry; comments (<c>#</c>, <c>;</c>) ignored. Pure.
/// Mirrors kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (parseResolvConf).
/// </summary>
public static class ResolvConfParser
{
    public static PodDnsConfig Parse(string text)
    {
        var servers = new List<string>();
        var searches = new List<string>();
        var options = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var comment = line.IndexOfAny(['#', ';']);
            if (comment >= 0)
            {
                line = line[..comment];
            }
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    servers.Add(fields[1]);
                    break;
                case "search":
                    searches = [.. fields.Skip(1).Where(s => s != ".").Select(s => s.TrimEnd('.'))];
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }
        return new PodDnsConfig(servers, searches, options);
    }
}

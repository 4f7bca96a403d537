using System.Net;

namespace Berth.Dns;

/// <summary>Reads the <c>nameserver</c> lines of a resolv.conf (resolv.conf(5)); other options are ignored.</summary>
public static class ResolvConf
{
    public static IReadOnlyList<IPAddress> ParseNameservers(string text)
    {
        var servers = new List<IPAddress>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var ip))
            {
                servers.Add(ip);
            }
        }
        return servers;
    }

    /// <summary>The nameservers of the file at <paramref name="path"/>; none when it cannot be read.</summary>
    public static IReadOnlyList<IPAddress> ReadNameservers(string path)
    {
        try
        {
            return ParseNameservers(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

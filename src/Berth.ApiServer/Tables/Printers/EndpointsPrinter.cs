using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get endpoints</c>: Name, Endpoints (<c>ip:port</c> for the first three, then <c>+ N more...</c>;
/// <c>&lt;none&gt;</c> without subsets), Age. Mirrors printEndpoints and formatEndpoints in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class EndpointsPrinter : ITablePrinter
{
    private const int Max = 3;

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Endpoints", "The set of all endpoints is the union of all subsets."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), FormatEndpoints(obj.Arr("subsets")), MetaCells.Age(obj, now)];

    /// <summary>
    /// Every address once per port of its subset (headless subsets without ports list bare IPs). Addresses that
    /// are not ready are not shown.
    /// </summary>
    internal static string FormatEndpoints(JsonArray? subsets)
    {
        if (subsets is null || subsets.Count == 0)
        {
            return "<none>";
        }
        var list = new List<string>(Max);
        var count = 0;
        var more = false;
        foreach (var subset in subsets.Objects())
        {
            var addresses = subset.Arr("addresses");
            var ports = subset.Arr("ports");
            if (ports is null || ports.Count == 0)
            {
                count += addresses?.Count ?? 0;
                more |= Append(list, addresses, null);
                continue;
            }
            foreach (var port in ports.Objects())
            {
                count += addresses?.Count ?? 0;
                more |= Append(list, addresses, port.IntOrZero("port"));
            }
        }
        var joined = string.Join(",", list);
        return more ? string.Create(CultureInfo.InvariantCulture, $"{joined} + {count - Max} more...") : joined;
    }

    /// <summary>Adds addresses until the list holds <see cref="Max"/>; true when one did not fit.</summary>
    private static bool Append(List<string> list, JsonArray? addresses, long? port)
    {
        foreach (var address in addresses.Objects())
        {
            if (list.Count == Max)
            {
                return true;
            }
            var ip = address.StrOrEmpty("ip");
            list.Add(port is { } p ? JoinHostPort(ip, p) : ip);
        }
        return false;
    }

    /// <summary>Go's net.JoinHostPort: brackets around hosts that contain a colon (IPv6).</summary>
    internal static string JoinHostPort(string host, long port) =>
        host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
}

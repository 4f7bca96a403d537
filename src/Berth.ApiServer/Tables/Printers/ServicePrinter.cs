using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get services</c>: Name, Type, Cluster-IP, External-IP, Port(s), Age, [Selector].
/// Mirrors printService, getServiceExternalIP, loadBalancerStatusStringer and makePortString in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go (wide form: load-balancer addresses unclipped).
/// </summary>
internal sealed class ServicePrinter : ITablePrinter
{
    private const string None = "<none>";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Type", "type determines how the Service is exposed."),
        CommonColumns.Text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
        CommonColumns.Text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        CommonColumns.Text("Port(s)", "The list of ports that are exposed by this service."),
        CommonColumns.Age,
        CommonColumns.Wide("Selector", "Route service traffic to pods with label keys and values matching this selector."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var type = spec.Str("type") ?? "ClusterIP";
        var ports = MakePortString(spec.Arr("ports"));
        return
        [
            MetaCells.Name(obj),
            type,
            ClusterIP(spec),
            ExternalIP(type, spec, obj.Obj("status")),
            ports.Length == 0 ? None : ports,
            MetaCells.Age(obj, now),
            LabelFormatting.FormatLabels(spec.Obj("selector")),
        ];
    }

    /// <summary>The first of <c>clusterIPs</c> (<c>None</c> for headless), falling back to <c>clusterIP</c>; else <c>&lt;none&gt;</c>.</summary>
    private static string ClusterIP(JsonObject? spec)
    {
        var first = spec.Arr("clusterIPs") is { Count: > 0 } ips ? ips[0].AsString() : spec.Str("clusterIP");
        return string.IsNullOrEmpty(first) ? None : first;
    }

    private static string ExternalIP(string type, JsonObject? spec, JsonObject? status)
    {
        var externalIPs = spec.Arr("externalIPs").StringItems();
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                return externalIPs.Count > 0 ? string.Join(",", externalIPs) : None;
            case "LoadBalancer":
                var lb = LoadBalancerAddresses(status.Obj("loadBalancer"));
                lb.AddRange(externalIPs);
                return lb.Count > 0 ? string.Join(",", lb) : "<pending>";
            case "ExternalName":
                return spec.StrOrEmpty("externalName");
            default:
                return "<unknown>";
        }
    }

    /// <summary>Distinct ingress IPs (or hostnames when no IP), sorted, as loadBalancerStatusStringer does.</summary>
    private static List<string> LoadBalancerAddresses(JsonObject? loadBalancer)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ingress in loadBalancer.Arr("ingress").Objects())
        {
            var address = ingress.Str("ip") is { Length: > 0 } ip ? ip : ingress.Str("hostname");
            if (!string.IsNullOrEmpty(address))
            {
                set.Add(address);
            }
        }
        return [.. set];
    }

    /// <summary><c>80/TCP</c>, or <c>80:30080/TCP</c> with a node port, comma-joined.</summary>
    private static string MakePortString(JsonArray? ports)
    {
        var pieces = new List<string>();
        foreach (var p in ports.Objects())
        {
            var port = p.IntOrZero("port");
            var protocol = p.Str("protocol") ?? "TCP";
            var nodePort = p.IntOrZero("nodePort");
            pieces.Add(nodePort > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{port}:{nodePort}/{protocol}")
                : string.Create(CultureInfo.InvariantCulture, $"{port}/{protocol}"));
        }
        return string.Join(",", pieces);
    }
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get ingresses</c>: Name, Class (<c>&lt;none&gt;</c> without ingressClassName), Hosts (the first three
/// rule hosts, <c>*</c> when none), Address (the load-balancer IPs or host names, sorted; empty on Berth, which runs no
/// ingress controller), Ports (<c>80</c>, or <c>80, 443</c> with TLS), Age.
/// Mirrors printIngress, formatHosts and formatPorts in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class IngressPrinter : ITablePrinter
{
    private const int MaxHosts = 3;

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Class", "The name of the IngressClass resource that should be used for additional configuration"),
        CommonColumns.Text("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        CommonColumns.Text("Address", "Address is a list containing ingress points for the load-balancer"),
        CommonColumns.Text("Ports", "Ports of TLS configurations that open"),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        return
        [
            MetaCells.Name(obj),
            spec.Str("ingressClassName") ?? "<none>",
            Hosts(spec.Arr("rules")),
            Addresses(obj.Obj("status").Obj("loadBalancer")),
            spec.Arr("tls") is { Count: > 0 } ? "80, 443" : "80",
            MetaCells.Age(obj, now),
        ];
    }

    private static string Hosts(JsonArray? rules)
    {
        var hosts = rules.Objects().Select(r => r.StrOrEmpty("host")).Where(h => h.Length > 0).ToList();
        if (hosts.Count == 0)
        {
            return "*";
        }
        var shown = string.Join(",", hosts.Take(MaxHosts));
        return hosts.Count > MaxHosts ? $"{shown} + {hosts.Count - MaxHosts} more..." : shown;
    }

    /// <summary>Distinct IPs (a host name where an entry has no IP), sorted and comma-joined.</summary>
    private static string Addresses(JsonObject? loadBalancer)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in loadBalancer.Arr("ingress").Objects())
        {
            var address = entry.Str("ip") is { Length: > 0 } ip ? ip : entry.Str("hostname");
            if (!string.IsNullOrEmpty(address))
            {
                set.Add(address);
            }
        }
        return string.Join(",", set);
    }
}

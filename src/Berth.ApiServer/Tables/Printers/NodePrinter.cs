using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get nodes</c>: Name, Status (<c>Ready</c>/<c>NotReady</c>/<c>Unknown</c>, plus
/// <c>,SchedulingDisabled</c> when cordoned), Roles, Age, Version, [Internal-IP, External-IP, OS-Image,
/// Kernel-Version, Container-Runtime]. Mirrors printNode, findNodeRoles, getNodeInternalIP and getNodeExternalIP in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class NodePrinter : ITablePrinter
{
    private const string LabelNodeRolePrefix = "node-role.kubernetes.io/";
    private const string NodeLabelRole = "kubernetes.io/role";
    private const string None = "<none>";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Status", "The status of the node"),
        CommonColumns.Text("Roles", "The roles of the node"),
        CommonColumns.Age,
        CommonColumns.Text("Version", "Kubelet Version reported by the node."),
        CommonColumns.Wide("Internal-IP", "List of addresses reachable to the node."),
        CommonColumns.Wide("External-IP", "List of addresses reachable to the node."),
        CommonColumns.Wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        CommonColumns.Wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        CommonColumns.Wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var status = obj.Obj("status");
        var info = status.Obj("nodeInfo");
        var roles = FindNodeRoles(obj.Obj("metadata").Obj("labels"));
        return
        [
            MetaCells.Name(obj),
            NodeStatus(obj),
            roles.Count == 0 ? None : string.Join(",", roles),
            MetaCells.Age(obj, now),
            info.StrOrEmpty("kubeletVersion"),
            Address(status, "InternalIP"),
            Address(status, "ExternalIP"),
            OrUnknown(info.Str("osImage")),
            OrUnknown(info.Str("kernelVersion")),
            OrUnknown(info.Str("containerRuntimeVersion")),
        ];
    }

    private static string NodeStatus(JsonObject node)
    {
        var ready = node.Obj("status").Arr("conditions").FindByType("Ready");
        var status = ready is null ? "Unknown" : ready.Str("status") == "True" ? "Ready" : "NotReady";
        return node.Obj("spec").Bool("unschedulable") == true ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>Roles from <c>node-role.kubernetes.io/&lt;role&gt;</c> label keys and <c>kubernetes.io/role=&lt;role&gt;</c>, sorted, distinct.</summary>
    private static SortedSet<string> FindNodeRoles(JsonObject? labels)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? [])
        {
            if (key.StartsWith(LabelNodeRolePrefix, StringComparison.Ordinal))
            {
                if (key.Length > LabelNodeRolePrefix.Length)
                {
                    roles.Add(key[LabelNodeRolePrefix.Length..]);
                }
            }
            else if (key == NodeLabelRole && value is JsonValue v && v.TryGetValue<string>(out var role) && role.Length > 0)
            {
                roles.Add(role);
            }
        }
        return roles;
    }

    /// <summary>The first address of <paramref name="type"/>, or <c>&lt;none&gt;</c>.</summary>
    private static string Address(JsonObject? status, string type)
    {
        foreach (var a in status.Arr("addresses").Objects())
        {
            if (a.Str("type") == type)
            {
                return a.StrOrEmpty("address");
            }
        }
        return None;
    }

    private static string OrUnknown(string? s) => string.IsNullOrEmpty(s) ? "<unknown>" : s;
}

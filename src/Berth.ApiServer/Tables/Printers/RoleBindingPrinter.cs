using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get rolebindings|clusterrolebindings</c>: Name, Role (<c>Kind/name</c>), Age, and with <c>-o wide</c>
/// Users, Groups and ServiceAccounts (<c>namespace/name</c>), each comma-separated.
/// Mirrors printRoleBinding, printClusterRoleBinding and rbac.SubjectsStrings in kubernetes/kubernetes
/// pkg/printers/internalversion/printers.go and pkg/apis/rbac/helpers.go.
/// </summary>
internal sealed class RoleBindingPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
        CommonColumns.Age,
        CommonColumns.Wide("Users", "Users in the roleBinding"),
        CommonColumns.Wide("Groups", "Groups in the roleBinding"),
        CommonColumns.Wide("ServiceAccounts", "ServiceAccounts in the roleBinding"),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var roleRef = obj.Obj("roleRef");
        var (users, groups, serviceAccounts) = (new List<string>(), new List<string>(), new List<string>());
        foreach (var subject in obj.Arr("subjects").Objects())
        {
            switch (subject.Str("kind"))
            {
                case "ServiceAccount":
                    serviceAccounts.Add($"{subject.StrOrEmpty("namespace")}/{subject.StrOrEmpty("name")}");
                    break;
                case "User":
                    users.Add(subject.StrOrEmpty("name"));
                    break;
                case "Group":
                    groups.Add(subject.StrOrEmpty("name"));
                    break;
            }
        }
        return
        [
            MetaCells.Name(obj),
            $"{roleRef.StrOrEmpty("kind")}/{roleRef.StrOrEmpty("name")}",
            MetaCells.Age(obj, now),
            string.Join(", ", users),
            string.Join(", ", groups),
            string.Join(", ", serviceAccounts),
        ];
    }
}

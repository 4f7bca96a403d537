using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get controllerrevisions</c>: Name, Controller (<c>statefulset.apps/web</c>, <c>&lt;none&gt;</c>
/// without a controller reference), Revision (an integer cell), Age. Mirrors printControllerRevision and
/// formatResourceName in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class ControllerRevisionPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Controller", "Controller of the object"),
        CommonColumns.Text("Revision", "Revision indicates the revision of the state represented by Data."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
        [MetaCells.Name(obj), ControllerName(obj), obj.IntOrZero("revision"), MetaCells.Age(obj, now)];

    /// <summary><c>kind.group/name</c> lower-cased (just <c>kind/name</c> in the core group) of the controller owner.</summary>
    private static string ControllerName(JsonObject obj)
    {
        foreach (var owner in obj.Obj("metadata").Arr("ownerReferences").Objects())
        {
            if (owner.Bool("controller") != true)
            {
                continue;
            }
            var apiVersion = owner.StrOrEmpty("apiVersion");
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 ? "" : apiVersion[..slash];
            var kind = owner.StrOrEmpty("kind");
            var name = owner.StrOrEmpty("name");
            if (kind.Length == 0 && group.Length == 0)
            {
                return name;
            }
            var groupKind = group.Length == 0 ? kind : kind + "." + group;
            return groupKind.ToLowerInvariant() + "/" + name;
        }
        return "<none>";
    }
}

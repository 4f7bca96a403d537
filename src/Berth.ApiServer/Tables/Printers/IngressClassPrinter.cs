using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get ingressclasses</c>: Name, Controller, Parameters (<c>Kind[.apiGroup]/name</c>, <c>&lt;none&gt;</c>
/// when unset), Age. Mirrors printIngressClass in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class IngressClassPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Controller", "Controller that is responsible for handling this class"),
        CommonColumns.Text("Parameters", "A reference to a resource with additional parameters"),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var parameters = "<none>";
        if (spec.Obj("parameters") is { } p)
        {
            parameters = p.StrOrEmpty("kind") + (p.Str("apiGroup") is { } group ? "." + group : "") + "/" + p.StrOrEmpty("name");
        }
        return [MetaCells.Name(obj), spec.StrOrEmpty("controller"), parameters, MetaCells.Age(obj, now)];
    }
}

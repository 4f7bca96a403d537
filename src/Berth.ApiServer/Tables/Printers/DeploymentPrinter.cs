using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get deployments</c>: Name, Ready (<c>ready/desired</c>), Up-to-date, Available (integer cells),
/// Age, [Containers, Images, Selector (<c>&lt;invalid&gt;</c> for a malformed selector)].
/// Mirrors printDeployment in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class DeploymentPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Ready", "Number of the pod with ready state"),
        CommonColumns.Text("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        CommonColumns.Text("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        CommonColumns.Wide("Selector", "Label selector for pods."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        var (names, images) = ContainerCells.Layout(spec.Obj("template").Obj("spec"));
        var selector = LabelFormatting.TrySelectorString(spec.Obj("selector"), out var s) ? s : "<invalid>";
        var desired = spec.Int("replicas") ?? 1;
        return
        [
            MetaCells.Name(obj),
            string.Create(CultureInfo.InvariantCulture, $"{status.IntOrZero("readyReplicas")}/{desired}"),
            status.IntOrZero("updatedReplicas"),
            status.IntOrZero("availableReplicas"),
            MetaCells.Age(obj, now),
            names,
            images,
            selector,
        ];
    }
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get daemonsets</c>: Name, Desired, Current, Ready, Up-to-date, Available (integer cells),
/// Node Selector, Age, [Containers, Images, Selector].
/// Mirrors printDaemonSet in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class DaemonSetPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
        CommonColumns.Integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
        CommonColumns.Integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
        CommonColumns.Integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
        CommonColumns.Integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        CommonColumns.Text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        CommonColumns.Wide("Selector", "A label query over pods that are managed by the daemon set."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        var podSpec = spec.Obj("template").Obj("spec");
        var (names, images) = ContainerCells.Layout(podSpec);
        return
        [
            MetaCells.Name(obj),
            status.IntOrZero("desiredNumberScheduled"),
            status.IntOrZero("currentNumberScheduled"),
            status.IntOrZero("numberReady"),
            status.IntOrZero("updatedNumberScheduled"),
            status.IntOrZero("numberAvailable"),
            LabelFormatting.FormatLabels(podSpec.Obj("nodeSelector")),
            MetaCells.Age(obj, now),
            names,
            images,
            LabelFormatting.FormatLabelSelector(spec.Obj("selector")),
        ];
    }
}

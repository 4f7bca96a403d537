using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get horizontalpodautoscalers</c>: Name, Reference (<c>Kind/name</c>), Targets (see
/// <see cref="HpaTargetsText"/>), MinPods (<c>&lt;unset&gt;</c> when absent), MaxPods and Replicas (integer cells),
/// Age. Mirrors printHorizontalPodAutoscaler in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class HorizontalPodAutoscalerPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
        CommonColumns.Text("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."),
        CommonColumns.Text("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        CommonColumns.Integer("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."),
        CommonColumns.Integer("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var target = spec.Obj("scaleTargetRef");
        var minPods = spec.Int("minReplicas") is { } min ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<unset>";
        return
        [
            MetaCells.Name(obj),
            target.StrOrEmpty("kind") + "/" + target.StrOrEmpty("name"),
            HpaTargetsText.Format(spec.Arr("metrics"), obj.Obj("status").Arr("currentMetrics")),
            minPods,
            spec.IntOrZero("maxReplicas"),
            obj.Obj("status").IntOrZero("currentReplicas"),
            MetaCells.Age(obj, now),
        ];
    }
}

using System.Text.Json.Nodes;
using Berth.ApiServer.ResourceMetrics;
using Berth.Machinery.Meta;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get podmetrics</c> / <c>nodemetrics</c>: Name, CPU, Memory, Window. A pod's row sums its containers.
/// Quantities are printed in canonical form (<c>1234567n</c>, <c>20480Ki</c>).
/// Mirrors addResourceListToTable in kubernetes-sigs/metrics-server pkg/api/table.go.
/// </summary>
internal sealed class ResourceMetricsPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("CPU", "CPU usage over the window"),
        CommonColumns.Text("Memory", "memory working set"),
        CommonColumns.Text("Window", "the interval the CPU usage was measured over"),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var (nanoCores, bytes) = obj["containers"] is JsonArray
            ? MetricsObjectReader.Pod(obj) is { } pod
                ? (pod.Containers.Sum(c => c.NanoCores), pod.Containers.Sum(c => c.MemoryBytes))
                : (0L, 0L)
            : MetricsObjectReader.Node(obj) is { } node ? (node.NanoCores, node.MemoryBytes) : (0L, 0L);
        return [MetaCells.Name(obj), QuantityFormat.DecimalNano(nanoCores), QuantityFormat.Binary(bytes), obj.StrOrEmpty("window")];
    }
}

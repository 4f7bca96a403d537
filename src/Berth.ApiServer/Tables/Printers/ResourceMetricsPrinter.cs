using System.Text.Json.Nodes;
using Berth.Machinery.Meta;
using k8s.Models;

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
        var usages = obj["containers"] is JsonArray containers
            ? containers.Select(c => c?["usage"] as JsonObject)
            : [obj.Obj("usage")];
        decimal cores = 0, bytes = 0;
        foreach (var usage in usages)
        {
            cores += Parse(usage.Str("cpu"));
            bytes += Parse(usage.Str("memory"));
        }
        return [MetaCells.Name(obj), QuantityFormat.DecimalNano((long)(cores * 1_000_000_000m)), QuantityFormat.Binary((long)bytes),
            obj.StrOrEmpty("window")];
    }

    private static decimal Parse(string? quantity) => quantity is null ? 0 : new ResourceQuantity(quantity).ToDecimal();
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get poddisruptionbudgets</c>: Name, Min Available, Max Unavailable (int-or-string, <c>N/A</c> when
/// unset), Allowed Disruptions (an integer cell), Age.
/// Mirrors printPodDisruptionBudget in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class PodDisruptionBudgetPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Min Available", "The minimum number of pods that must be available."),
        CommonColumns.Text("Max Unavailable", "The maximum number of pods that may be unavailable."),
        CommonColumns.Integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        return
        [
            MetaCells.Name(obj),
            IntOrString(spec, "minAvailable"),
            IntOrString(spec, "maxUnavailable"),
            obj.Obj("status").IntOrZero("disruptionsAllowed"),
            MetaCells.Age(obj, now),
        ];
    }

    /// <summary>IntOrString.String(): the number or the string as written; <c>N/A</c> when absent.</summary>
    private static string IntOrString(JsonObject? spec, string key)
    {
        if (spec.Str(key) is { } s)
        {
            return s;
        }
        return spec.Int(key) is { } i ? i.ToString(CultureInfo.InvariantCulture) : "N/A";
    }
}

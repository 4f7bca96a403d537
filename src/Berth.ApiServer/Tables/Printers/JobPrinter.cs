using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get jobs</c>: Name, Status (Complete, Failed, Terminating, Suspended, FailureTarget, Running),
/// Completions (<c>n/m</c>, <c>n/1</c>, or <c>n/1 of p</c> for work queues), Duration, Age,
/// [Containers, Images, Selector]. Mirrors printJob and hasJobCondition in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class JobPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Status", "Status of the job."),
        CommonColumns.Text("Completions", "The number of pods which reached phase Succeeded."),
        CommonColumns.Text("Duration", "Time required to complete the job."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        CommonColumns.Wide("Selector", "A label query over pods that should match the pod count."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var (names, images) = ContainerCells.Layout(spec.Obj("template").Obj("spec"));
        return
        [
            MetaCells.Name(obj),
            JobStatus(obj),
            Completions(spec, obj.Obj("status")),
            JobDuration(obj.Obj("status"), now),
            MetaCells.Age(obj, now),
            names,
            images,
            LabelFormatting.FormatLabelSelector(spec.Obj("selector")),
        ];
    }

    private static string JobStatus(JsonObject job)
    {
        var conditions = job.Obj("status").Arr("conditions");
        if (HasJobCondition(conditions, "Complete"))
        {
            return "Complete";
        }
        if (HasJobCondition(conditions, "Failed"))
        {
            return "Failed";
        }
        if (MetaCells.IsDeleting(job))
        {
            return "Terminating";
        }
        if (HasJobCondition(conditions, "Suspended"))
        {
            return "Suspended";
        }
        return HasJobCondition(conditions, "FailureTarget") ? "FailureTarget" : "Running";
    }

    /// <summary>The first condition of <paramref name="type"/> decides; True means present.</summary>
    private static bool HasJobCondition(JsonArray? conditions, string type) =>
        conditions.FindByType(type).Str("status") == "True";

    private static string Completions(JsonObject? spec, JsonObject? status)
    {
        var succeeded = status.IntOrZero("succeeded");
        if (spec.Int("completions") is { } completions)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{completions}");
        }
        var parallelism = spec.IntOrZero("parallelism");
        return parallelism > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
            : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
    }

    /// <summary>"" before the job starts; time since start while running; start to completion once complete.</summary>
    private static string JobDuration(JsonObject? status, DateTimeOffset now)
    {
        if (!Timestamps.TryParse(status.Str("startTime"), out var start))
        {
            return "";
        }
        var end = Timestamps.TryParse(status.Str("completionTime"), out var completed) ? completed : now;
        return HumanDuration.Format(end - start);
    }
}

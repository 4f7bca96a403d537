using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get cronjobs</c>: Name, Schedule, Timezone, Suspend, Active (an integer cell), Last Schedule, Age,
/// [Containers, Images, Selector]. Mirrors printCronJob and printBoolPtr in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class CronJobPrinter : ITablePrinter
{
    private const string None = "<none>";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        CommonColumns.Text("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
        new("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
        CommonColumns.Integer("Active", "A list of pointers to currently running jobs."),
        CommonColumns.Text("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        CommonColumns.Wide("Selector", "A label query over pods that should match the pod count."),
    ];

    /// <remarks>An unset <c>suspend</c> prints <c>False</c>, the batch/v1 default the API applies on create.</remarks>
    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        var jobSpec = spec.Obj("jobTemplate").Obj("spec");
        var (names, images) = ContainerCells.Layout(jobSpec.Obj("template").Obj("spec"));
        var lastSchedule = status.Has("lastScheduleTime") ? Timestamps.Since(status.Str("lastScheduleTime"), now) : None;
        return
        [
            MetaCells.Name(obj),
            spec.StrOrEmpty("schedule"),
            spec.Str("timeZone") ?? None,
            spec.Bool("suspend") == true ? "True" : "False",
            (long)status.CountOf("active"),
            lastSchedule,
            MetaCells.Age(obj, now),
            names,
            images,
            LabelFormatting.FormatLabelSelector(jobSpec.Obj("selector")),
        ];
    }
}

using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get events</c> (core/v1): Last Seen, Type, Reason, Object, [Subobject, Source], Message,
/// [First Seen, Count, Name]. Last Seen falls back to First Seen, which falls back to eventTime; a series
/// supplies its own last time and count; a singleton without count counts 1.
/// Mirrors printEvent and formatEventSource in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class EventPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        CommonColumns.Text("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        CommonColumns.Text("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        CommonColumns.Text("Object", "The object that this event is about."),
        CommonColumns.Wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
        CommonColumns.Wide("Source", "The component reporting this event. Should be a short machine understandable string."),
        CommonColumns.Text("Message", "A human-readable description of the status of this operation."),
        CommonColumns.Wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        CommonColumns.Wide("Count", "The number of times this event has occurred."),
        new("Name", "string", "name", "Name must be unique within a namespace.", 1),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var firstSeen = obj.Has("firstTimestamp")
            ? Timestamps.Since(obj.Str("firstTimestamp"), now)
            : Timestamps.Since(obj.Str("eventTime"), now);
        var lastSeen = obj.Has("lastTimestamp") ? Timestamps.Since(obj.Str("lastTimestamp"), now) : firstSeen;
        var count = obj.IntOrZero("count");
        if (obj.Obj("series") is { } series)
        {
            lastSeen = Timestamps.Since(series.Str("lastObservedTime"), now);
            count = series.IntOrZero("count");
        }
        else if (count == 0)
        {
            count = 1;
        }
        var involved = obj.Obj("involvedObject");
        var kind = involved.StrOrEmpty("kind").ToLowerInvariant();
        var target = involved.Str("name") is { Length: > 0 } name ? kind + "/" + name : kind;
        return
        [
            lastSeen, obj.StrOrEmpty("type"), obj.StrOrEmpty("reason"), target, involved.StrOrEmpty("fieldPath"),
            FormatEventSource(obj), obj.StrOrEmpty("message").Trim(), firstSeen, count, MetaCells.Name(obj),
        ];
    }

    /// <summary><c>component, host</c>, or <c>component</c> without a host; reportingComponent/Instance fill in blanks.</summary>
    private static string FormatEventSource(JsonObject ev)
    {
        var source = ev.Obj("source");
        var component = FirstNonEmpty(source.Str("component"), ev.Str("reportingComponent"));
        var instance = FirstNonEmpty(source.Str("host"), ev.Str("reportingInstance"));
        return instance.Length == 0 ? component : component + ", " + instance;
    }

    private static string FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
}

using System.Globalization;
using Berth.Machinery.Errors;

namespace Berth.Registry.Batch.CronJobs;

/// <summary>
/// Syntax check of a standard five-field cron schedule (or a descriptor such as <c>@hourly</c>, <c>@every 1h</c>),
/// with the messages of the parser upstream uses (robfig/cron ParseStandard). Ranges, steps, lists, <c>*</c>,
/// <c>?</c> and month/day names are accepted. Mirrors kubernetes/kubernetes pkg/apis/batch/validation
/// (validateScheduleFormat).
/// </summary>
internal static class CronScheduleValidation
{
    private static readonly string[] Descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>(min, max, names whose index + offset is the value)</summary>
    private static readonly (int Min, int Max, string[] Names, int NameOffset)[] Fields =
        [(0, 59, [], 0), (0, 23, [], 0), (1, 31, [], 0), (1, 12, Months, 1), (0, 6, Days, 0)];

    public static void Validate(string schedule, string path, List<FieldError> errs)
    {
        if (schedule.Contains("TZ", StringComparison.Ordinal))
        {
            errs.Add(FieldError.Invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            return;
        }
        if (ParseError(schedule.Trim()) is { } error)
        {
            errs.Add(FieldError.Invalid(path, schedule, error));
        }
    }

    private static string? ParseError(string schedule)
    {
        if (schedule.StartsWith('@'))
        {
            if (Descriptors.Contains(schedule))
            {
                return null;
            }
            if (schedule.StartsWith("@every ", StringComparison.Ordinal))
            {
                return null;
            }
            return $"unrecognized descriptor: {schedule}";
        }
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"expected exactly 5 fields, found {fields.Length}: {schedule}";
        }
        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var part in fields[i].Split(','))
            {
                if (ParseRange(part, Fields[i]) is { } error)
                {
                    return error;
                }
            }
        }
        return null;
    }

    private static string? ParseRange(string expr, (int Min, int Max, string[] Names, int NameOffset) field)
    {
        var slash = expr.Split('/');
        if (slash.Length > 2)
        {
            return $"too many slashes: {expr}";
        }
        if (slash.Length == 2 && !int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return $"failed to parse int from {slash[1]}: strconv.Atoi: parsing \"{slash[1]}\": invalid syntax";
        }
        if (slash[0] is "*" or "?")
        {
            return null;
        }
        var bounds = slash[0].Split('-');
        if (bounds.Length > 2)
        {
            return $"too many hyphens: {expr}";
        }
        var values = new int[bounds.Length];
        for (var b = 0; b < bounds.Length; b++)
        {
            if (!TryValue(bounds[b], field, out values[b]))
            {
                return $"failed to parse int from {bounds[b]}: strconv.Atoi: parsing \"{bounds[b]}\": invalid syntax";
            }
        }
        var start = values[0];
        var end = values[^1];
        if (start < field.Min)
        {
            return $"beginning of range ({start}) below minimum ({field.Min}): {expr}";
        }
        if (end > field.Max)
        {
            return $"end of range ({end}) above maximum ({field.Max}): {expr}";
        }
        return start > end ? $"beginning of range ({start}) beyond end of range ({end}): {expr}" : null;
    }

    private static bool TryValue(string text, (int Min, int Max, string[] Names, int NameOffset) field, out int value)
    {
        var index = Array.IndexOf(field.Names, text.ToLowerInvariant());
        if (index >= 0)
        {
            value = index + field.NameOffset;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace Berth.Controllers.CronJob;

/// <summary>
/// A parsed CronJob schedule: a standard five-field expression or a descriptor (<c>@yearly</c>, <c>@annually</c>,
/// <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>) evaluated by Cronos in the
/// CronJob's time zone, or <c>@every &lt;duration&gt;</c> (a constant delay, whole seconds). Immutable and
/// thread-safe. Mirrors what kubernetes/kubernetes pkg/controller/cronjob uses from robfig/cron (ParseStandard,
/// Schedule.Next, ConstantDelaySchedule).
/// </summary>
public sealed partial class CronSchedule
{
    private readonly CronExpression? _expression;
    private readonly TimeSpan _every;

    private CronSchedule(CronExpression? expression, TimeSpan every)
    {
        _expression = expression;
        _every = every;
    }

    /// <summary>Parses <paramref name="schedule"/>; on failure returns false with the parser's message.</summary>
    public static bool TryParse(string schedule, out CronSchedule? result, out string? error)
    {
        result = null;
        error = null;
        var text = schedule.Trim();
        if (text.StartsWith("@every ", StringComparison.Ordinal))
        {
            if (TryParseDuration(text["@every ".Length..].Trim(), out var every) && every >= TimeSpan.FromSeconds(1))
            {
                result = new CronSchedule(null, TimeSpan.FromSeconds(Math.Floor(every.TotalSeconds)));
                return true;
            }
            error = $"failed to parse duration {text}";
            return false;
        }
        try
        {
            result = new CronSchedule(CronExpression.Parse(text, CronFormat.Standard), TimeSpan.Zero);
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The first activation strictly after <paramref name="after"/> in <paramref name="zone"/>; null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        if (_expression is null)
        {
            var whole = after.AddTicks(-(after.Ticks % TimeSpan.TicksPerSecond));
            return whole + _every;
        }
        return _expression.GetNextOccurrence(after, zone, inclusive: false);
    }

    /// <summary>A Go duration made of h, m and s parts, e.g. <c>1h30m</c> or <c>90s</c>.</summary>
    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = GoDuration().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            duration += unit switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
        }
        return true;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?[hms])+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();
}

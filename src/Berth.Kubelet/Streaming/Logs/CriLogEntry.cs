using System.Globalization;
using System.Text;

namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// One parsed line of a CRI log file: <c>&lt;RFC 3339 time&gt; &lt;stdout|stderr&gt; &lt;P|F&gt;[:tags] &lt;content&gt;</c>.
/// <see cref="Content"/> of a full (F) entry keeps its trailing newline; a partial (P) entry has none, so writing the
/// contents one after another rebuilds the original output.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go (parseCRILog, logMessage).
/// </summary>
internal readonly record struct CriLogEntry(DateTimeOffset Timestamp, bool IsStderr, bool Partial, ReadOnlyMemory<byte> Content)
{
    /// <summary>Parses one line (with or without its newline); false for a line that is not a CRI entry.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> line, out CriLogEntry entry)
    {
        entry = default;
        var span = line.Span;
        var first = span.IndexOf((byte)' ');
        if (first <= 0 || !TryParseTimestamp(span[..first], out var timestamp))
        {
            return false;
        }
        var rest = line[(first + 1)..];
        var second = rest.Span.IndexOf((byte)' ');
        if (second <= 0)
        {
            return false;
        }
        var stream = rest.Span[..second];
        var isStderr = stream.SequenceEqual("stderr"u8);
        if (!isStderr && !stream.SequenceEqual("stdout"u8))
        {
            return false;
        }
        rest = rest[(second + 1)..];
        var third = rest.Span.IndexOf((byte)' ');
        if (third <= 0)
        {
            return false;
        }
        var tags = rest.Span[..third];
        var colon = tags.IndexOf((byte)':');
        var partial = (colon < 0 ? tags : tags[..colon]).SequenceEqual("P"u8);
        var content = rest[(third + 1)..];
        if (partial && content.Span is [.., (byte)'\n'])
        {
            content = content[..^1];
        }
        entry = new CriLogEntry(timestamp, isStderr, partial, content);
        return true;
    }

    /// <summary>
    /// RFC 3339 with up to nine fractional digits (digits beyond the 100 ns tick are dropped) and Z or ±hh:mm.
    /// Parsed by hand from the bytes: it runs once per log line.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] is not ((byte)'T' or (byte)'t')
            || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
        {
            return false;
        }
        var rest = text[19..];
        long ticks = 0;
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit((char)rest[digits]))
            {
                digits++;
            }
            if (digits == 1 || digits > 10 || !TryDigits(rest[1..Math.Min(digits, 8)], out var fraction))
            {
                return false;
            }
            ticks = fraction * Pow10[8 - Math.Min(digits, 8)];
            rest = rest[digits..];
        }
        if (!TryParseOffset(rest, out var offset) || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year < 1 ? 1 : year, month)
            || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }
        timestamp = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(ticks), offset);
        return true;
    }

    private static readonly long[] Pow10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000];

    private static bool TryParseOffset(ReadOnlySpan<byte> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone.Length == 1 && zone[0] is (byte)'Z' or (byte)'z')
        {
            return true;
        }
        if (zone.Length != 6 || zone[0] is not ((byte)'+' or (byte)'-') || zone[3] != ':'
            || !TryDigits(zone[1..3], out var hours) || !TryDigits(zone[4..6], out var minutes) || hours > 23 || minutes > 59)
        {
            return false;
        }
        offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = (value * 10) + (b - '0');
        }
        return digits.Length > 0;
    }

    /// <summary>
    /// The <c>--timestamps</c> prefix text: RFC 3339 in UTC with the fraction's trailing zeros trimmed (Go's
    /// RFC3339Nano layout, which kubectl users see).
    /// </summary>
    public static string FormatTimestamp(DateTimeOffset timestamp)
    {
        Span<byte> buffer = stackalloc byte[MaxTimestampLength];
        return Encoding.ASCII.GetString(buffer[..FormatTimestamp(timestamp, buffer)]);
    }

    /// <summary>Longest output of <see cref="FormatTimestamp(DateTimeOffset, Span{byte})"/>.</summary>
    public const int MaxTimestampLength = 28;

    /// <summary>Writes the <c>--timestamps</c> text into <paramref name="destination"/> and returns its length.</summary>
    public static int FormatTimestamp(DateTimeOffset timestamp, Span<byte> destination)
    {
        var utc = timestamp.UtcDateTime;
        utc.TryFormat(destination, out var written, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            destination[written++] = (byte)'.';
            fraction.TryFormat(destination[written..], out var n, new string('0', digits), CultureInfo.InvariantCulture);
            written += n;
        }
        destination[written++] = (byte)'Z';
        return written;
    }
}

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
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length < 20 || text.Length > 40)
        {
            return false;
        }
        var s = Encoding.ASCII.GetString(text);
        var dot = s.IndexOf('.', 19);
        var zone = s.IndexOfAny(['Z', 'z', '+', '-'], 19);
        if (zone < 0 || (dot >= 0 && dot > zone))
        {
            return false;
        }
        var fraction = dot < 0 ? "" : s[(dot + 1)..zone];
        if (fraction.Length > 9 || !fraction.All(char.IsAsciiDigit))
        {
            return false;
        }
        var normalized = s[..19] + "." + fraction.PadRight(9, '0')[..7] + (s[zone] is 'Z' or 'z' ? "+00:00" : s[zone..]);
        return DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out timestamp);
    }

    /// <summary>
    /// The <c>--timestamps</c> prefix text: RFC 3339 in UTC with the fraction's trailing zeros trimmed (Go's
    /// RFC3339Nano layout, which kubectl users see).
    /// </summary>
    public static string FormatTimestamp(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        var fraction = utc.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + (fraction.Length == 0 ? "" : "." + fraction) + "Z";
    }
}

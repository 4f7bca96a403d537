using System.Globalization;
using System.Text;

namespace Berth.Machinery.Errors;

/// <summary>
/// Go's <c>strconv.Quote</c> (the <c>%q</c> verb), with which upstream renders string values in validation and
/// conflict messages: backslash and double quote escaped, the C escapes (<c>\n</c>, <c>\t</c>, …), other
/// non-printable characters as <c>\x00</c>, <c>\u00ad</c> or <c>\U000e0001</c>; printable characters as they are.
/// Pure and thread-safe.
/// </summary>
public static class GoQuote
{
    public static string Quote(string s)
    {
        if (!NeedsEscape(s))
        {
            return "\"" + s + "\"";
        }
        var text = new StringBuilder(s.Length + 8).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            text.Append(Escape(rune));
        }
        return text.Append('"').ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        <= UnicodeCategory.OtherNumber => true,
        >= UnicodeCategory.ConnectorPunctuation and <= UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    private static bool NeedsEscape(string s)
    {
        foreach (var c in s)
        {
            if (c is '"' or '\\' or < ' ' or >= '\u007f')
            {
                return true;
            }
        }
        return false;
    }

    private static string Escape(Rune rune) => rune.Value switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\a' => "\\a",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\v' => "\\v",
        _ when IsPrintable(rune) => rune.ToString(),
        < 0x80 => "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture),
        < 0x10000 => "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture),
        _ => "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture),
    };
}

using System.Text;

namespace Berth.Machinery.Selectors;

/// <summary>
/// Backslash escaping of field selector values: <c>\\</c>, <c>\,</c> and <c>\=</c> are the only escapes, and an
/// unescaped <c>,</c> or <c>=</c> inside a value is an error. Pure and thread-safe.
/// Mirrors EscapeValue/UnescapeValue/splitTerms of k8s.io/apimachinery/pkg/fields/selector.go.
/// </summary>
public static class FieldSelectorEscaping
{
    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> so the value survives a round trip through <see cref="FieldSelector.Parse"/>.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal);

    /// <summary>Reverses <see cref="Escape"/>; throws <see cref="FormatException"/> on a bad escape or a bare <c>,</c>/<c>=</c>.</summary>
    public static string Unescape(string value)
    {
        if (value.IndexOfAny(['\\', ',', '=']) < 0)
        {
            return value;
        }
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length)
                {
                    throw new FormatException("invalid field selector: invalid escape sequence: \\");
                }
                var next = value[++i];
                if (next is not ('\\' or ',' or '='))
                {
                    throw new FormatException($"invalid field selector: invalid escape sequence: \\{next}");
                }
                result.Append(next);
            }
            else if (c is ',' or '=')
            {
                throw new FormatException($"invalid field selector: unescaped character in value: {c}");
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    /// <summary>Splits on commas not preceded by an escaping backslash; escapes are kept for <see cref="Unescape"/>.</summary>
    internal static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '\\')
            {
                i++;
            }
            else if (selector[i] == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }
        terms.Add(selector[start..]);
        return terms;
    }
}

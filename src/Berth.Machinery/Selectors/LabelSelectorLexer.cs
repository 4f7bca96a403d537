namespace Berth.Machinery.Selectors;

/// <summary>Tokens of the label selector grammar.</summary>
internal enum LabelToken
{
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    EqualsSign,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

/// <summary>
/// Splits a label selector into tokens. Whitespace separates tokens; <c>= ! ( ) , &gt; &lt;</c> are operator
/// characters, read greedily into the longest operator they form; any other run is an identifier or the
/// keyword <c>in</c>/<c>notin</c>. Mirrors the Lexer of k8s.io/apimachinery/pkg/labels/selector.go.
/// </summary>
internal static class LabelSelectorLexer
{
    private static readonly Dictionary<string, LabelToken> Literals = new(StringComparer.Ordinal)
    {
        [")"] = LabelToken.ClosedPar,
        [","] = LabelToken.Comma,
        ["!"] = LabelToken.DoesNotExist,
        ["=="] = LabelToken.DoubleEquals,
        ["="] = LabelToken.EqualsSign,
        [">"] = LabelToken.GreaterThan,
        ["in"] = LabelToken.In,
        ["<"] = LabelToken.LessThan,
        ["!="] = LabelToken.NotEquals,
        ["notin"] = LabelToken.NotIn,
        ["("] = LabelToken.OpenPar,
    };

    /// <summary>All tokens of <paramref name="selector"/>, always ending with <see cref="LabelToken.EndOfString"/>.</summary>
    public static List<(LabelToken Token, string Literal)> Scan(string selector)
    {
        var items = new List<(LabelToken, string)>();
        var pos = 0;
        while (true)
        {
            while (pos < selector.Length && IsWhitespace(selector[pos]))
            {
                pos++;
            }
            if (pos >= selector.Length)
            {
                items.Add((LabelToken.EndOfString, ""));
                return items;
            }
            items.Add(IsSpecial(selector[pos]) ? ScanSymbol(selector, ref pos) : ScanWord(selector, ref pos));
        }
    }

    private static (LabelToken, string) ScanWord(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && !IsSpecial(s[pos]) && !IsWhitespace(s[pos]))
        {
            pos++;
        }
        var word = s[start..pos];
        return Literals.TryGetValue(word, out var tok) ? (tok, word) : (LabelToken.Identifier, word);
    }

    private static (LabelToken, string) ScanSymbol(string s, ref int pos)
    {
        var start = pos;
        (LabelToken Token, string Literal)? last = null;
        while (pos < s.Length && IsSpecial(s[pos]))
        {
            var candidate = s[start..(pos + 1)];
            if (Literals.TryGetValue(candidate, out var tok))
            {
                last = (tok, candidate);
            }
            else if (last is not null)
            {
                break;
            }
            pos++;
        }
        return last ?? (LabelToken.Error, $"error expected: keyword found '{s[start..pos]}'");
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}

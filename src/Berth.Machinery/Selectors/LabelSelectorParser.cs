namespace Berth.Machinery.Selectors;

/// <summary>
/// Recursive-descent parser for the label selector grammar
/// (<c>[!]key [= | == | != | &gt; | &lt; value | in (v,…) | notin (v,…)]</c>, comma-joined).
/// Throws <see cref="FormatException"/> with upstream's message; <see cref="LabelSelector.Parse"/> turns it into a 400.
/// Single use, not thread-safe. Mirrors the Parser of k8s.io/apimachinery/pkg/labels/selector.go.
/// </summary>
internal sealed class LabelSelectorParser
{
    private const string BinaryOperators = "in, notin, =, ==, !=, >, <";

    private readonly List<(LabelToken Token, string Literal)> _items;
    private int _position;

    private LabelSelectorParser(string selector) => _items = LabelSelectorLexer.Scan(selector);

    /// <summary>The requirements of <paramref name="selector"/> in source order (the caller sorts them).</summary>
    public static List<LabelRequirement> Parse(string selector) => new LabelSelectorParser(selector).ParseAll();

    private List<LabelRequirement> ParseAll()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (tok, lit) = Lookahead();
            switch (tok)
            {
                case LabelToken.Identifier or LabelToken.DoesNotExist:
                    requirements.Add(ParseRequirementOrThrow());
                    var (next, nextLit) = Consume();
                    if (next == LabelToken.EndOfString)
                    {
                        return requirements;
                    }
                    if (next != LabelToken.Comma)
                    {
                        throw new FormatException($"found '{nextLit}', expected: ',' or 'end of string'");
                    }
                    var (after, afterLit) = Lookahead();
                    if (after is not (LabelToken.Identifier or LabelToken.DoesNotExist))
                    {
                        throw new FormatException($"found '{afterLit}', expected: identifier after ','");
                    }
                    break;
                case LabelToken.EndOfString:
                    return requirements;
                default:
                    throw new FormatException($"found '{lit}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirementOrThrow()
    {
        try
        {
            return ParseRequirement();
        }
        catch (FormatException e)
        {
            throw new FormatException("unable to parse requirement: " + e.Message, e);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, unary) = ParseKeyAndInferOperator();
        if (unary is { } op)
        {
            return LabelRequirement.Create(key, op, []);
        }
        var binary = ParseOperator();
        var values = binary is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        return LabelRequirement.Create(key, binary, values.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Reads <c>[!]key</c>; the operator is known (Exists/DoesNotExist) when the term ends right after the key.</summary>
    private (string Key, SelectorOperator? Unary) ParseKeyAndInferOperator()
    {
        var (tok, lit) = Consume();
        var negated = tok == LabelToken.DoesNotExist;
        if (negated)
        {
            (tok, lit) = Consume();
        }
        if (tok != LabelToken.Identifier)
        {
            throw new FormatException($"found '{lit}', expected: identifier");
        }
        var keyErrors = LabelValidation.IsQualifiedName(lit);
        if (keyErrors.Count > 0)
        {
            // Upstream validates here with a nil field path, which prints as "<nil>".
            throw new FormatException(LabelRequirement.InvalidValue("<nil>", lit, string.Join("; ", keyErrors)));
        }
        var ends = Lookahead().Token is LabelToken.EndOfString or LabelToken.Comma;
        if (negated)
        {
            return (lit, SelectorOperator.DoesNotExist);
        }
        return (lit, ends ? SelectorOperator.Exists : null);
    }

    private SelectorOperator ParseOperator()
    {
        var (tok, lit) = Consume(keywordsAreIdentifiers: false);
        return tok switch
        {
            LabelToken.In => SelectorOperator.In,
            LabelToken.EqualsSign => SelectorOperator.Equals,
            LabelToken.DoubleEquals => SelectorOperator.DoubleEquals,
            LabelToken.GreaterThan => SelectorOperator.GreaterThan,
            LabelToken.LessThan => SelectorOperator.LessThan,
            LabelToken.NotIn => SelectorOperator.NotIn,
            LabelToken.NotEquals => SelectorOperator.NotEquals,
            _ => throw new FormatException($"found '{lit}', expected: {BinaryOperators}"),
        };
    }

    private HashSet<string> ParseValues()
    {
        var (tok, lit) = Consume();
        if (tok != LabelToken.OpenPar)
        {
            throw new FormatException($"found '{lit}' expected: '('");
        }
        (tok, lit) = Lookahead();
        switch (tok)
        {
            case LabelToken.Identifier or LabelToken.Comma:
                var set = ParseIdentifiersList();
                if (Consume().Token != LabelToken.ClosedPar)
                {
                    throw new FormatException($"found '{lit}', expected: ')'");
                }
                return set;
            case LabelToken.ClosedPar:
                Consume();
                return [""];
            default:
                throw new FormatException($"found '{lit}', expected: ',', ')' or identifier");
        }
    }

    /// <summary>Reads <c>v1,v2,…</c> up to (not including) the closing parenthesis; empty entries mean the empty value.</summary>
    private HashSet<string> ParseIdentifiersList()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (tok, lit) = Consume();
            if (tok == LabelToken.Identifier)
            {
                set.Add(lit);
                var (next, nextLit) = Lookahead();
                if (next == LabelToken.ClosedPar)
                {
                    return set;
                }
                if (next != LabelToken.Comma)
                {
                    throw new FormatException($"found '{nextLit}', expected: ',' or ')'");
                }
            }
            else if (tok == LabelToken.Comma)
            {
                if (set.Count == 0)
                {
                    set.Add("");
                }
                var next = Lookahead().Token;
                if (next == LabelToken.ClosedPar)
                {
                    set.Add("");
                    return set;
                }
                if (next == LabelToken.Comma)
                {
                    Consume();
                    set.Add("");
                }
            }
            else
            {
                throw new FormatException($"found '{lit}', expected: ',', or identifier");
            }
        }
    }

    private HashSet<string> ParseExactValue()
    {
        if (Lookahead().Token is LabelToken.EndOfString or LabelToken.Comma)
        {
            return [""];
        }
        var (tok, lit) = Consume();
        return tok == LabelToken.Identifier ? [lit] : throw new FormatException($"found '{lit}', expected: identifier");
    }

    private (LabelToken Token, string Literal) Lookahead() => AsContext(_items[_position], keywordsAreIdentifiers: true);

    private (LabelToken Token, string Literal) Consume(bool keywordsAreIdentifiers = true)
    {
        var item = _items[Math.Min(_position, _items.Count - 1)];
        if (_position < _items.Count - 1)
        {
            _position++;
        }
        return AsContext(item, keywordsAreIdentifiers);
    }

    /// <summary>Outside operator position, <c>in</c> and <c>notin</c> are ordinary identifiers (<c>x in (in)</c>).</summary>
    private static (LabelToken, string) AsContext((LabelToken Token, string Literal) item, bool keywordsAreIdentifiers) =>
        keywordsAreIdentifiers && item.Token is LabelToken.In or LabelToken.NotIn
            ? (LabelToken.Identifier, item.Literal)
            : item;
}

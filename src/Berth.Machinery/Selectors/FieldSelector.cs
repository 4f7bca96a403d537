using Berth.Machinery.Errors;

namespace Berth.Machinery.Selectors;

/// <summary>
/// A parsed field selector: the AND of equality/inequality terms on named fields (<c>metadata.name=x,status.phase!=Failed</c>).
/// Terms are kept sorted by their text, so the order kubectl happens to send them in never matters. Immutable and thread-safe.
/// Which field names exist is the caller's business (per kind): <see cref="Matches"/> asks a lookup that returns null for
/// an unsupported field. Mirrors k8s.io/apimachinery/pkg/fields/selector.go.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    /// <summary>The empty selector; matches every object.</summary>
    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>
    /// Parses the query-string form. Null or empty means <see cref="Everything"/>; empty terms (<c>a=b,</c>) are skipped.
    /// Throws a 400 <see cref="ApiException"/> with upstream's message on a term without an operator or a bad escape.
    /// </summary>
    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return Everything;
        }
        var terms = FieldSelectorEscaping.SplitTerms(selector);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms.Where(t => t.Length > 0))
        {
            requirements.Add(ParseTerm(selector, term));
        }
        return requirements.Count == 0 ? Everything : new FieldSelector(requirements);
    }

    /// <summary>
    /// True when every term holds. <paramref name="lookup"/> returns the object's value for a field name, or null when the
    /// kind does not support that field, which throws a 400 <c>field label not supported: …</c>. Every term's field is
    /// looked up (no short-circuit), so an unsupported field fails the same way for every object.
    /// </summary>
    public bool Matches(Func<string, string?> lookup)
    {
        var all = true;
        foreach (var requirement in Requirements)
        {
            var actual = lookup(requirement.Field) ?? throw ApiErrors.BadRequest($"field label not supported: {requirement.Field}");
            all &= requirement.Matches(actual);
        }
        return all;
    }

    /// <summary>Throws the 400 <see cref="Matches"/> would throw, before any object is seen (an empty list must fail too).</summary>
    public void EnsureSupported(Func<string, bool> isSupported) =>
        EnsureSupported(isSupported, field => ApiErrors.BadRequest($"field label not supported: {field}"));

    /// <summary>As <see cref="EnsureSupported(Func{string, bool})"/>, with the error for an unsupported field from <paramref name="error"/>.</summary>
    public void EnsureSupported(Func<string, bool> isSupported, Func<string, ApiException> error)
    {
        foreach (var requirement in Requirements.Where(r => !isSupported(r.Field)))
        {
            throw error(requirement.Field);
        }
    }

    /// <summary>The value <paramref name="field"/> must equal for any match (a <c>=</c>/<c>==</c> term), or null.</summary>
    public string? RequiresExactMatch(string field) =>
        Requirements.FirstOrDefault(r => r.Field == field && r.Operator != SelectorOperator.NotEquals)?.Value;

    /// <summary>Canonical text: sorted terms joined by <c>,</c>, values escaped.</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    private static FieldRequirement ParseTerm(string selector, string term)
    {
        var (index, op, length) = FindOperator(term)
            ?? throw ApiErrors.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
        try
        {
            return new FieldRequirement(term[..index], op, FieldSelectorEscaping.Unescape(term[(index + length)..]));
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    /// <summary>The first operator in <paramref name="term"/>, preferring <c>!=</c> and <c>==</c> over <c>=</c> at one position.</summary>
    private static (int Index, SelectorOperator Op, int Length)? FindOperator(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term.AsSpan(i).StartsWith("!="))
            {
                return (i, SelectorOperator.NotEquals, 2);
            }
            if (term.AsSpan(i).StartsWith("=="))
            {
                return (i, SelectorOperator.DoubleEquals, 2);
            }
            if (term[i] == '=')
            {
                return (i, SelectorOperator.Equals, 1);
            }
        }
        return null;
    }
}

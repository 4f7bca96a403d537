namespace Berth.Machinery.Selectors;

/// <summary>
/// One term of a field selector: <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>.
/// <see cref="Value"/> is unescaped. Mirrors hasTerm/notHasTerm of k8s.io/apimachinery/pkg/fields/selector.go.
/// </summary>
public sealed record FieldRequirement(string Field, SelectorOperator Operator, string Value)
{
    /// <summary>True when <paramref name="actual"/> (the object's value of <see cref="Field"/>) satisfies the term.</summary>
    public bool Matches(string actual) =>
        Operator == SelectorOperator.NotEquals ? actual != Value : actual == Value;

    /// <summary>Upstream's text form, value re-escaped: <c>metadata.name=a\,b</c>; <c>==</c> prints as <c>=</c>.</summary>
    public override string ToString() =>
        Field + (Operator == SelectorOperator.NotEquals ? "!=" : "=") + FieldSelectorEscaping.Escape(Value);
}

using System.Globalization;

namespace Berth.Machinery.Selectors;

/// <summary>
/// One term of a label selector: a key, an operator and (for binary operators) a value set. Immutable and
/// thread-safe; build it through <see cref="Create"/> so the key, operator arity and values are validated.
/// Mirrors the Requirement type of k8s.io/apimachinery/pkg/labels/selector.go.
/// </summary>
public sealed class LabelRequirement
{
    private LabelRequirement(string key, SelectorOperator op, IReadOnlyList<string> values)
    {
        Key = key;
        Operator = op;
        Values = values;
    }

    public string Key { get; }

    public SelectorOperator Operator { get; }

    /// <summary>The value set; empty for <see cref="SelectorOperator.Exists"/> and <see cref="SelectorOperator.DoesNotExist"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Validates and builds a requirement (upstream NewRequirement). Throws <see cref="FormatException"/> whose message
    /// is upstream's aggregated field error list, e.g. <c>key: Invalid value: "a b": name part must …</c>.
    /// </summary>
    public static LabelRequirement Create(string key, SelectorOperator op, IReadOnlyList<string> values)
    {
        var errors = new List<string>();
        var keyErrors = LabelValidation.IsQualifiedName(key);
        if (keyErrors.Count > 0)
        {
            errors.Add(InvalidValue("key", key, string.Join("; ", keyErrors)));
        }
        var arityError = CheckArity(op, values);
        if (arityError is not null)
        {
            errors.Add(arityError);
        }
        for (var i = 0; i < values.Count; i++)
        {
            var valueErrors = LabelValidation.IsValidLabelValue(values[i]);
            if (valueErrors.Count > 0)
            {
                errors.Add(InvalidValue($"values[{i}][{key}]", values[i], string.Join("; ", valueErrors)));
            }
        }
        if (errors.Count > 0)
        {
            throw new FormatException(errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]");
        }
        return new LabelRequirement(key, op, values.ToArray());
    }

    /// <summary>True when <paramref name="labels"/> satisfies this term. A missing key satisfies only the negative operators.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.In or SelectorOperator.Equals or SelectorOperator.DoubleEquals => present && Values.Contains(value!),
            SelectorOperator.NotIn or SelectorOperator.NotEquals => !present || !Values.Contains(value!),
            SelectorOperator.Exists => present,
            SelectorOperator.DoesNotExist => !present,
            SelectorOperator.GreaterThan or SelectorOperator.LessThan => present && CompareAsIntegers(value!),
            _ => false,
        };
    }

    /// <summary>Upstream's canonical text: <c>a=b</c>, <c>a in (x,y)</c> with sorted values, <c>!a</c>.</summary>
    public override string ToString()
    {
        var values = string.Join(",", Values.Order(StringComparer.Ordinal));
        return Operator switch
        {
            SelectorOperator.Exists => Key,
            SelectorOperator.DoesNotExist => "!" + Key,
            SelectorOperator.Equals => $"{Key}={values}",
            SelectorOperator.DoubleEquals => $"{Key}=={values}",
            SelectorOperator.NotEquals => $"{Key}!={values}",
            SelectorOperator.In => $"{Key} in ({values})",
            SelectorOperator.NotIn => $"{Key} notin ({values})",
            SelectorOperator.GreaterThan => $"{Key}>{values}",
            SelectorOperator.LessThan => $"{Key}<{values}",
            _ => Key,
        };
    }

    private bool CompareAsIntegers(string labelValue)
    {
        if (Values.Count != 1
            || !long.TryParse(labelValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
            || !long.TryParse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
        {
            return false;
        }
        return Operator == SelectorOperator.GreaterThan ? actual > bound : actual < bound;
    }

    private static string? CheckArity(SelectorOperator op, IReadOnlyList<string> values) => op switch
    {
        SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0 =>
            InvalidValue("values", values, "for 'in', 'notin' operators, values set can't be empty"),
        SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals when values.Count != 1 =>
            InvalidValue("values", values, "exact-match compatibility requires one single value"),
        SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count != 0 =>
            InvalidValue("values", values, "values set must be empty for exists and does not exist"),
        SelectorOperator.GreaterThan or SelectorOperator.LessThan when values.Count != 1 =>
            InvalidValue("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"),
        SelectorOperator.GreaterThan or SelectorOperator.LessThan
            when !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            InvalidValue("values[0]", values[0], "for 'Gt', 'Lt' operators, the value must be an integer"),
        _ => null,
    };

    /// <summary>Renders one field error as upstream's field.Invalid does.</summary>
    internal static string InvalidValue(string path, string value, string detail) =>
        $"{path}: Invalid value: {Quote(value)}: {detail}";

    private static string InvalidValue(string path, IReadOnlyList<string> values, string detail) =>
        $"{path}: Invalid value: []string{{{string.Join(", ", values.Select(Quote))}}}: {detail}";

    private static string Quote(string s) => Berth.Machinery.Errors.GoQuote.Quote(s);
}

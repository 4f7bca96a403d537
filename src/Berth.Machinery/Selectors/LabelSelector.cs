using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Machinery.Selectors;

/// <summary>
/// A parsed label selector: the AND of its <see cref="Requirements"/>, sorted by key. Immutable and thread-safe,
/// so one instance may be shared by a watch and every list page. <see cref="Nothing"/> is distinct from an empty
/// selector: it matches no object (a workload with a null <c>spec.selector</c>).
/// Mirrors k8s.io/apimachinery/pkg/labels/selector.go and metav1.LabelSelectorAsSelector (helpers.go).
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing)
    {
        Requirements = requirements;
        IsNothing = matchesNothing;
    }

    /// <summary>Matches every label set (the empty selector, <c>?labelSelector=</c>).</summary>
    public static LabelSelector Everything { get; } = new([], matchesNothing: false);

    /// <summary>Matches no label set; prints as the empty string, like upstream's Nothing().</summary>
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    /// <summary>The terms, sorted by key (stable for equal keys).</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True for <see cref="Nothing"/>.</summary>
    public bool IsNothing { get; }

    /// <summary>True when the selector restricts nothing, i.e. matches every label set.</summary>
    public bool IsEmpty => !IsNothing && Requirements.Count == 0;

    /// <summary>
    /// Parses the query-string form (<c>a=b,c!=d,e in (x,y),!f,g</c>). Null or blank means <see cref="Everything"/>.
    /// Throws a 400 <see cref="ApiException"/> carrying upstream's parser message.
    /// </summary>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }
        try
        {
            return FromRequirements(LabelSelectorParser.Parse(selector));
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    /// <summary>An equality selector over <paramref name="labels"/>; null or empty means <see cref="Everything"/>.</summary>
    public static LabelSelector FromMatchLabels(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return Everything;
        }
        return FromRequirements(labels.Select(kv => CreateOrThrow(kv.Key, SelectorOperator.Equals, [kv.Value])));
    }

    /// <summary>
    /// Converts a metav1.LabelSelector in JSON form (<c>{matchLabels, matchExpressions}</c>). Null gives
    /// <see cref="Nothing"/>; an object with neither field (or both empty) gives <see cref="Everything"/>.
    /// Throws a 400 <see cref="ApiException"/> on an unknown operator or an invalid key or value.
    /// </summary>
    public static LabelSelector FromLabelSelectorJson(JsonObject? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }
        var requirements = new List<LabelRequirement>();
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                requirements.Add(CreateOrThrow(key, SelectorOperator.Equals, [StringOf(value)]));
            }
        }
        if (selector["matchExpressions"] is JsonArray expressions)
        {
            requirements.AddRange(expressions.Select(ExpressionToRequirement));
        }
        return requirements.Count == 0 ? Everything : FromRequirements(requirements);
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/> (null = no labels).</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        if (IsNothing)
        {
            return false;
        }
        labels ??= EmptyLabels;
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Matches against <c>metadata.labels</c> of an object in storage form. Does not mutate it.</summary>
    public bool MatchesObject(JsonObject obj) => Matches(LabelsOf(obj));

    /// <summary>
    /// The value <paramref name="key"/> must equal for any match (from <c>=</c>, <c>==</c> or a one-value <c>in</c>),
    /// or null. Lets callers narrow a scan, e.g. by <c>kubernetes.io/service-name</c>.
    /// </summary>
    public string? RequiresExactMatch(string key)
    {
        var requirement = Requirements.FirstOrDefault(r => r.Key == key);
        return requirement is { Operator: SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In, Values.Count: 1 }
            ? requirement.Values[0]
            : null;
    }

    /// <summary>The labels of an object in storage form (non-string values are skipped).</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta || meta["labels"] is not JsonObject labels)
        {
            return EmptyLabels;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var s))
            {
                result[key] = s;
            }
        }
        return result;
    }

    /// <summary>Canonical text: requirements sorted by key, joined by <c>,</c> (<c>app=web,tier in (a,b)</c>).</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();

    private static LabelSelector FromRequirements(IEnumerable<LabelRequirement> requirements) =>
        new(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray(), matchesNothing: false);

    private static LabelRequirement ExpressionToRequirement(JsonNode? node)
    {
        var expression = node as JsonObject;
        var key = StringOf(expression?["key"]);
        var opText = StringOf(expression?["operator"]);
        SelectorOperator op = opText switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            _ => throw ApiErrors.BadRequest($"\"{opText}\" is not a valid label selector operator"),
        };
        var values = (expression?["values"] as JsonArray)?.Select(StringOf).ToArray() ?? [];
        return CreateOrThrow(key, op, values);
    }

    private static LabelRequirement CreateOrThrow(string key, SelectorOperator op, IReadOnlyList<string> values)
    {
        try
        {
            return LabelRequirement.Create(key, op, values);
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    private static string StringOf(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}

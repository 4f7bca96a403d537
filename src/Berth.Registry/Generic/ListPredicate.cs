using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;

namespace Berth.Registry.Generic;

/// <summary>
/// The label and field selectors of a list or watch, bound to a kind's selectable fields. <c>metadata.name</c> and
/// <c>metadata.namespace</c> terms are also checked on the storage key, so most items never need parsing.
/// Mirrors k8s.io/apiserver pkg/storage/selection_predicate.go (SelectionPredicate).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
internal sealed class ListPredicate
{
    private readonly IResourceStrategy _strategy;
    private readonly string? _name;
    private readonly string? _namespace;

    private ListPredicate(IResourceStrategy strategy, LabelSelector label, FieldSelector field)
    {
        _strategy = strategy;
        Label = label;
        Field = field;
        _name = field.RequiresExactMatch("metadata.name");
        _namespace = strategy.Kind.Namespaced ? field.RequiresExactMatch("metadata.namespace") : null;
    }

    public LabelSelector Label { get; }

    public FieldSelector Field { get; }

    /// <summary>True when every object matches, so items need not be parsed.</summary>
    public bool MatchesEverything => Label.IsEmpty && Field.IsEmpty;

    /// <summary>Parses both selectors; 400 for a malformed one or a field the kind cannot select on.</summary>
    public static ListPredicate Create(IResourceStrategy strategy, ListOptions options)
    {
        var label = LabelSelector.Parse(options.LabelSelector);
        var field = FieldSelector.Parse(options.FieldSelector);
        var probe = new JsonObject();
        field.EnsureSupported(f => strategy.GetSelectableField(probe, f) is not null, f => UnsupportedFieldLabel.Error(strategy.Kind, f));
        return new ListPredicate(strategy, label, field);
    }

    /// <summary>A cheap pre-check on the storage key: false only when the object cannot match.</summary>
    public bool MayMatchKey(ResourceKind kind, string key)
    {
        if (_name is null && _namespace is null)
        {
            return true;
        }
        var rest = key.AsSpan(kind.KeyRoot.Length);
        var slash = rest.IndexOf('/');
        var ns = slash < 0 ? ReadOnlySpan<char>.Empty : rest[..slash];
        var name = slash < 0 ? rest : rest[(slash + 1)..];
        return (_name is null || name.SequenceEqual(_name)) && (_namespace is null || ns.SequenceEqual(_namespace));
    }

    public bool Matches(JsonObject obj) =>
        (Label.IsEmpty || Label.MatchesObject(obj)) &&
        (Field.IsEmpty || Field.Matches(f => _strategy.GetSelectableField(obj, f)));
}

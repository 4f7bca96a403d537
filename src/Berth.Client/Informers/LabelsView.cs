using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Berth.Client.Informers;

/// <summary>
/// A read-only, allocation-light view of an object's <c>metadata.labels</c> for selector predicates: lookups go
/// straight to the cached JSON instead of copying the labels into a dictionary for every object listed.
/// Non-string values are invisible.
/// </summary>
internal sealed class LabelsView(JsonObject? labels) : IReadOnlyDictionary<string, string>
{
    public static readonly LabelsView Empty = new(null);

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public int Count => Enumerable.Count(this);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = null;
        return labels is not null && labels.TryGetPropertyValue(key, out var node)
            && node is JsonValue v && v.TryGetValue(out value);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        if (labels is null)
        {
            yield break;
        }
        foreach (var (k, node) in labels)
        {
            if (node is JsonValue v && v.TryGetValue<string>(out var s))
            {
                yield return new KeyValuePair<string, string>(k, s);
            }
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Testing.Fakes;

/// <summary>Selector matching and merge patch of <see cref="FakeApiClient"/>.</summary>
public sealed partial class FakeApiClient
{
    /// <summary>Applies an RFC 7386 merge patch to <paramref name="target"/> in place.</summary>
    internal static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && target[key] is JsonObject targetChild)
            {
                MergePatch(targetChild, patchChild);
            }
            else if (value is JsonObject newChild)
            {
                var created = new JsonObject();
                MergePatch(created, newChild);
                target[key] = created;
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>
    /// Namespace, label and field selection. Labels: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>
    /// (set-based <c>in</c>/<c>notin</c> are rejected with 400). Fields: <c>path=v</c>, <c>path==v</c>,
    /// <c>path!=v</c> on any dotted path of string values (<c>spec.nodeName</c>, <c>involvedObject.name</c>, …).
    /// </summary>
    private sealed class WatchFilter
    {
        private readonly string? _namespace;
        private readonly List<Func<JsonObject, bool>> _terms = [];

        public WatchFilter(ResourceKind kind, string? ns, ListOptions? options)
        {
            _namespace = kind.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null;
            foreach (var term in Split(options?.LabelSelector))
            {
                _terms.Add(ParseLabelTerm(term));
            }
            foreach (var term in Split(options?.FieldSelector))
            {
                _terms.Add(ParseFieldTerm(term));
            }
        }

        public bool Matches(JsonObject obj) =>
            (_namespace is null || obj.GetNamespace() == _namespace) && _terms.TrueForAll(t => t(obj));

        private static IEnumerable<string> Split(string? selector) =>
            string.IsNullOrWhiteSpace(selector) ? [] : selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        private static Func<JsonObject, bool> ParseLabelTerm(string term)
        {
            if (term.Contains(" in ", StringComparison.Ordinal) || term.Contains(" notin ", StringComparison.Ordinal) || term.Contains('('))
            {
                throw ApiErrors.BadRequest($"FakeApiClient does not support set-based label selector \"{term}\"");
            }
            var (key, op, value) = SplitTerm(term);
            return op switch
            {
                "exists" => o => o.GetLabels().ContainsKey(key),
                "!exists" => o => !o.GetLabels().ContainsKey(key),
                "!=" => o => !o.GetLabels().TryGetValue(key, out var v) || v != value,
                _ => o => o.GetLabels().TryGetValue(key, out var v) && v == value,
            };
        }

        private static Func<JsonObject, bool> ParseFieldTerm(string term)
        {
            var (path, op, value) = SplitTerm(term);
            if (op is "exists" or "!exists")
            {
                throw ApiErrors.BadRequest($"invalid field selector \"{term}\"");
            }
            var steps = path.Split('.');
            return op == "!="
                ? o => (o.GetString(steps) ?? "") != value
                : o => (o.GetString(steps) ?? "") == value;
        }

        private static (string Key, string Op, string Value) SplitTerm(string term)
        {
            foreach (var op in new[] { "!=", "==", "=" })
            {
                var at = term.IndexOf(op, StringComparison.Ordinal);
                if (at > 0)
                {
                    return (term[..at].Trim(), op == "==" ? "=" : op, term[(at + op.Length)..].Trim());
                }
            }
            return term.StartsWith('!') ? (term[1..].Trim(), "!exists", "") : (term, "exists", "");
        }
    }
}

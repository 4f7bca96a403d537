using System.Collections.Immutable;

namespace Berth.Registry.Rbac;

/// <summary>
/// Whether a set of rules a user holds covers the rules it asks to grant: each requested rule is broken down into
/// single-verb, single-group, single-resource (and single-name) rules, or single-URL rules, and each of those must be
/// covered by one held rule. The uncovered ones are returned compacted (same group, resource and name: verbs merged),
/// rendered as upstream's escalation message lists them, sorted. Stateless.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/rbac/validation/policy_comparator.go (Covers, BreakdownRule, ruleCovers,
/// resourceCoversAll, nonResourceURLCovers) and pkg/apis/rbac/v1/helpers.go (CompactString), pkg/registry/rbac/validation/
/// internal_version_adapter.go (CompactRules).
/// </remarks>
public static class RuleCoverage
{
    /// <summary>The requested rules' parts that <paramref name="owned"/> does not cover, as compact strings (empty: covered).</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<PolicyRule> owned, IEnumerable<PolicyRule> requested)
    {
        var missing = new List<PolicyRule>();
        foreach (var part in requested.SelectMany(Breakdown))
        {
            if (!owned.Any(o => Covers(o, part)))
            {
                missing.Add(part);
            }
        }
        return [.. Compact(missing).Select(CompactString).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.IsEmpty)
                    {
                        yield return new PolicyRule([verb], [group], [resource], [], []);
                    }
                    foreach (var name in rule.ResourceNames)
                    {
                        yield return new PolicyRule([verb], [group], [resource], [name], []);
                    }
                }
            }
        }
        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return new PolicyRule([verb], [], [], [], [url]);
            }
        }
    }

    /// <summary>True when <paramref name="owner"/> grants everything the single-valued <paramref name="part"/> grants.</summary>
    private static bool Covers(PolicyRule owner, PolicyRule part)
    {
        var verbs = Has(owner.Verbs, "*") || part.Verbs.All(v => Has(owner.Verbs, v));
        if (!part.NonResourceUrls.IsEmpty)
        {
            return verbs && part.NonResourceUrls.All(url => owner.NonResourceUrls.Any(o => UrlCovers(o, url)));
        }
        return verbs
            && (Has(owner.ApiGroups, "*") || part.ApiGroups.All(g => Has(owner.ApiGroups, g)))
            && part.Resources.All(r => ResourceCovers(owner.Resources, r))
            && (owner.ResourceNames.IsEmpty || (!part.ResourceNames.IsEmpty && part.ResourceNames.All(n => Has(owner.ResourceNames, n))));
    }

    private static bool ResourceCovers(ImmutableArray<string> owned, string resource)
    {
        if (Has(owned, "*") || Has(owned, resource))
        {
            return true;
        }
        var slash = resource.IndexOf('/');
        return slash >= 0 && Has(owned, "*" + resource[slash..]);
    }

    private static bool UrlCovers(string owned, string url) =>
        owned == "*" || owned == url || (owned.EndsWith('*') && url.StartsWith(owned[..^1], StringComparison.Ordinal));

    /// <summary>Merges single-resource rules that differ only in their verbs (upstream CompactRules).</summary>
    private static IEnumerable<PolicyRule> Compact(List<PolicyRule> rules)
    {
        var merged = new List<PolicyRule>();
        var index = new Dictionary<(string, string, string), int>();
        foreach (var rule in rules)
        {
            if (rule.NonResourceUrls.IsEmpty && rule.ApiGroups.Length == 1 && rule.Resources.Length == 1 && rule.ResourceNames.Length <= 1)
            {
                var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames.IsEmpty ? "" : rule.ResourceNames[0]);
                if (index.TryGetValue(key, out var at))
                {
                    var existing = merged[at];
                    merged[at] = existing with { Verbs = existing.Verbs.AddRange(rule.Verbs.Where(v => !existing.Verbs.Contains(v))) };
                    continue;
                }
                index[key] = merged.Count;
            }
            merged.Add(rule);
        }
        return merged;
    }

    /// <summary><c>{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}</c> (upstream CompactString).</summary>
    public static string CompactString(PolicyRule rule)
    {
        var parts = new List<string>();
        void Add(string name, ImmutableArray<string> values)
        {
            if (!values.IsEmpty)
            {
                parts.Add($"{name}:[{string.Join(" ", values.Select(Berth.Machinery.Errors.GoQuote.Quote))}]");
            }
        }
        Add("APIGroups", rule.ApiGroups);
        Add("Resources", rule.Resources);
        Add("NonResourceURLs", rule.NonResourceUrls);
        Add("ResourceNames", rule.ResourceNames);
        Add("Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    private static bool Has(ImmutableArray<string> values, string value) => values.Contains(value, StringComparer.Ordinal);
}

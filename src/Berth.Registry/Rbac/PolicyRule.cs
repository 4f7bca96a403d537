using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Berth.Registry.Validation;

namespace Berth.Registry.Rbac;

/// <summary>
/// One rule of a Role or ClusterRole, read once from storage form into immutable arrays so that matching allocates
/// nothing. <c>*</c> matches any verb, group, resource or URL; <c>*/sub</c> any resource's subresource <c>sub</c>;
/// a URL ending in <c>*</c> any path with that prefix; empty <see cref="ResourceNames"/> any name.
/// Mirrors rbacv1.PolicyRule and the matching of kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go
/// (VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches) and
/// plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows).
/// </summary>
public sealed record PolicyRule(
    ImmutableArray<string> Verbs,
    ImmutableArray<string> ApiGroups,
    ImmutableArray<string> Resources,
    ImmutableArray<string> ResourceNames,
    ImmutableArray<string> NonResourceUrls)
{
    /// <summary>Reads a rule in storage form; absent or malformed lists are empty.</summary>
    public static PolicyRule From(JsonObject rule) => new(
        Strings(rule["verbs"]), Strings(rule["apiGroups"]), Strings(rule["resources"]),
        Strings(rule["resourceNames"]), Strings(rule["nonResourceURLs"]));

    /// <summary>A resource rule (builder for policy written in code).</summary>
    public static PolicyRule ForResources(string[] apiGroups, string[] resources, params string[] verbs) =>
        new([.. verbs], [.. apiGroups], [.. resources], [], []);

    /// <summary>A non-resource rule (builder for policy written in code).</summary>
    public static PolicyRule ForUrls(string[] urls, params string[] verbs) => new([.. verbs], [], [], [], [.. urls]);

    /// <summary>True when the rule grants <paramref name="request"/> (upstream RuleAllows).</summary>
    public bool Allows(AuthorizationAttributes request)
    {
        if (!Contains(Verbs, request.Verb))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return NonResourceUrlMatches(request.Path);
        }
        return Contains(ApiGroups, request.ApiGroup) && ResourceMatches(request.Resource, request.Subresource)
            && (ResourceNames.IsEmpty || ResourceNames.Contains(request.Name, StringComparer.Ordinal));
    }

    /// <summary>The rule in storage form (for ClusterRole aggregation and rules reviews).</summary>
    public JsonObject ToJson()
    {
        var rule = new JsonObject { ["verbs"] = Array(Verbs) };
        Add(rule, "apiGroups", ApiGroups);
        Add(rule, "resources", Resources);
        Add(rule, "resourceNames", ResourceNames);
        Add(rule, "nonResourceURLs", NonResourceUrls);
        return rule;
    }

    /// <summary>Value equality over the lists (records compare ImmutableArray by reference).</summary>
    public bool SameAs(PolicyRule other) =>
        Verbs.SequenceEqual(other.Verbs) && ApiGroups.SequenceEqual(other.ApiGroups) && Resources.SequenceEqual(other.Resources)
        && ResourceNames.SequenceEqual(other.ResourceNames) && NonResourceUrls.SequenceEqual(other.NonResourceUrls);

    private bool ResourceMatches(string resource, string subresource)
    {
        foreach (var rule in Resources)
        {
            if (rule == "*")
            {
                return true;
            }
            if (subresource.Length == 0)
            {
                if (rule == resource)
                {
                    return true;
                }
                continue;
            }
            // resource/subresource, or */subresource.
            var slash = rule.IndexOf('/');
            if (slash > 0 && rule.AsSpan(slash + 1).SequenceEqual(subresource)
                && (rule.AsSpan(0, slash).SequenceEqual(resource) || (slash == 1 && rule[0] == '*')))
            {
                return true;
            }
        }
        return false;
    }

    private bool NonResourceUrlMatches(string path)
    {
        foreach (var rule in NonResourceUrls)
        {
            if (rule == "*" || rule == path || (rule.EndsWith('*') && path.StartsWith(rule.AsSpan(0, rule.Length - 1), StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(ImmutableArray<string> values, string value)
    {
        foreach (var v in values)
        {
            if (v == "*" || v == value)
            {
                return true;
            }
        }
        return false;
    }

    private static ImmutableArray<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(n => JsonFields.AsString(n)).OfType<string>()] : [];

    private static JsonArray Array(ImmutableArray<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static void Add(JsonObject rule, string field, ImmutableArray<string> values)
    {
        if (!values.IsEmpty)
        {
            rule[field] = Array(values);
        }
    }
}

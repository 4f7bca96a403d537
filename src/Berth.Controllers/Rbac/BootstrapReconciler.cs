using System.Text.Json.Nodes;
using Berth.Registry.Rbac;

namespace Berth.Controllers.Rbac;

/// <summary>
/// Additive reconciliation of one default object against its expected form: only objects still annotated
/// <c>autoupdate=true</c> are touched; missing labels and annotations, missing rules (non-aggregated roles), missing
/// aggregation selectors and missing subjects are added; nothing is removed. Pure apart from mutating the existing
/// object it is given.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/registry/rbac/reconciliation (computeReconciledRole, computeReconciledRoleBinding).</remarks>
internal static class BootstrapReconciler
{
    /// <summary>Brings <paramref name="existing"/> up to <paramref name="expected"/>; true when it changed.</summary>
    public static bool Reconcile(JsonObject existing, JsonObject expected)
    {
        var metadata = existing["metadata"] as JsonObject ?? [];
        if ((metadata["annotations"] as JsonObject)?[BootstrapObjects.AutoUpdateAnnotation]?.GetValue<string>() != "true")
        {
            return false;
        }
        var expectedMeta = expected["metadata"]!.AsObject();
        var changed = AddMissing(metadata, "labels", expectedMeta["labels"]!.AsObject());
        changed |= AddMissing(metadata, "annotations", expectedMeta["annotations"]!.AsObject());
        if (expected["aggregationRule"] is JsonObject aggregation)
        {
            changed |= AddMissingItems(Child(existing, "aggregationRule"), "clusterRoleSelectors", aggregation["clusterRoleSelectors"]!.AsArray());
        }
        else if (expected["rules"] is JsonArray rules)
        {
            changed |= AddMissingRules(existing, rules);
        }
        if (expected["subjects"] is JsonArray subjects)
        {
            changed |= AddMissingItems(existing, "subjects", subjects);
        }
        return changed;
    }

    private static bool AddMissing(JsonObject metadata, string field, JsonObject expected)
    {
        var map = Child(metadata, field);
        var changed = false;
        foreach (var (key, value) in expected)
        {
            if (map[key]?.GetValue<string>() != value!.GetValue<string>())
            {
                map[key] = value.DeepClone();
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Appends each expected rule no existing rule equals (upstream: Covers; equality is enough for defaults).</summary>
    private static bool AddMissingRules(JsonObject existing, JsonArray expected)
    {
        var rules = existing["rules"] as JsonArray ?? [];
        existing["rules"] = rules;
        var have = rules.OfType<JsonObject>().Select(PolicyRule.From).ToList();
        var changed = false;
        foreach (var rule in expected.OfType<JsonObject>())
        {
            var wanted = PolicyRule.From(rule);
            if (!have.Any(h => h.SameAs(wanted)))
            {
                rules.Add(rule.DeepClone());
                changed = true;
            }
        }
        return changed;
    }

    private static bool AddMissingItems(JsonObject parent, string field, JsonArray expected)
    {
        var items = parent[field] as JsonArray ?? [];
        parent[field] = items;
        var changed = false;
        foreach (var item in expected)
        {
            if (!items.Any(i => JsonNode.DeepEquals(i, item)))
            {
                items.Add(item!.DeepClone());
                changed = true;
            }
        }
        return changed;
    }

    private static JsonObject Child(JsonObject parent, string field)
    {
        if (parent[field] is JsonObject child)
        {
            return child;
        }
        child = [];
        parent[field] = child;
        return child;
    }
}

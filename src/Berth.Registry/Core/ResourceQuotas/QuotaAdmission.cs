using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ResourceQuotas;

/// <summary>
/// The ResourceQuota admission check of a create: for every quota of the namespace that constrains something the new
/// object uses, the quota's <c>status.used</c> plus the object's usage must stay within <c>spec.hard</c>, else
/// upstream's 403 (<c>exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2</c>); a pod must state the
/// compute resources a quota tracks (<c>failed quota: q: must specify limits.cpu for: app</c>); a quota whose usage is
/// not yet known refuses (<c>status unknown for quota</c>). Returns the quotas with their charged usage, which the
/// caller stores before the object (upstream's quota accounting); the quota controller later recomputes usage from
/// the objects. Quotas with scopes are not enforced. Pure, thread-safe. Mirrors kubernetes/kubernetes
/// staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (checkRequest).
/// </summary>
public static class QuotaAdmission
{
    /// <summary>The charged copies of the quotas <paramref name="obj"/> counts against (empty when none), or throws 403.</summary>
    public static List<JsonObject> Check(ResourceKind kind, JsonObject obj, IReadOnlyList<JsonObject> quotas)
    {
        var charged = new List<JsonObject>();
        if (quotas.Count == 0)
        {
            return charged;
        }
        var usage = QuotaUsage.Of(kind, obj);
        foreach (var quota in quotas.OrderBy(q => q.GetName(), StringComparer.Ordinal))
        {
            if (IsScoped(quota) || quota["spec"]?["hard"] is not JsonObject hard)
            {
                continue;
            }
            var name = quota.GetName() ?? "";
            var constrained = hard.Select(p => p.Key).Where(usage.ContainsKey).Order(StringComparer.Ordinal).ToList();
            if (kind == KindRegistry.Pods)
            {
                CheckStated(obj, name, hard, obj);
            }
            if (constrained.Count == 0)
            {
                continue;
            }
            var used = quota["status"]?["used"] as JsonObject;
            var unknown = constrained.Where(r => used?[r] is null).ToList();
            if (unknown.Count > 0)
            {
                throw Forbidden(obj, kind, $"status unknown for quota: {name}, resources: {string.Join(",", unknown)}");
            }
            var exceeded = constrained.Where(r => Value(used![r]) + usage[r] > Value(hard[r])).ToList();
            if (exceeded.Count > 0)
            {
                throw Forbidden(obj, kind, $"exceeded quota: {name}, requested: {Pretty(exceeded, r => usage[r])}, " +
                    $"used: {Pretty(exceeded, r => Value(used![r]))}, limited: {Pretty(exceeded, r => Value(hard[r]))}");
            }
            var copy = quota.DeepClone().AsObject();
            var newUsed = (JsonObject)copy["status"]!["used"]!;
            foreach (var r in constrained)
            {
                newUsed[r] = Format(r, Value(used![r]) + usage[r]);
            }
            charged.Add(copy);
        }
        return charged;
    }

    /// <summary>Quantity.String() of an amount of <paramref name="resource"/>: bytes in binary units, others in decimal ones.</summary>
    public static string Format(string resource, decimal amount) =>
        resource.EndsWith("memory", StringComparison.Ordinal) && decimal.Truncate(amount) == amount
            ? QuantityFormat.Binary((long)amount)
            : QuantityFormat.DecimalNano((long)Math.Ceiling(amount * 1_000_000_000m));

    /// <summary>Scoped quotas (scopes or a scope selector) are not enforced by Berth.</summary>
    public static bool IsScoped(JsonObject quota) =>
        quota["spec"]?["scopes"] is JsonArray { Count: > 0 } || quota["spec"]?["scopeSelector"] is JsonObject;

    private static void CheckStated(JsonObject pod, string quotaName, JsonObject hard, JsonObject obj)
    {
        var required = QuotaUsage.ComputeResources.Where(hard.ContainsKey).ToList();
        if (required.Count == 0)
        {
            return;
        }
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var list in (string[])["containers", "initContainers"])
        {
            foreach (var (_, container) in JsonFields.Objects(pod["spec"]?[list] as JsonArray))
            {
                var stated = QuotaUsage.ContainerCompute(container);
                foreach (var resource in required.Where(r => !stated.Contains(r)))
                {
                    if (!missing.TryGetValue(resource, out var names))
                    {
                        missing[resource] = names = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    names.Add(JsonFields.AsString(container["name"]) ?? "");
                }
            }
        }
        if (missing.Count > 0)
        {
            var parts = missing.Select(p => $"{p.Key} for: {string.Join(",", p.Value)}");
            throw Forbidden(obj, KindRegistry.Pods, $"failed quota: {quotaName}: must specify {string.Join("; ", parts)}");
        }
    }

    private static decimal Value(JsonNode? node) => QuantityValidation.TryParse(node) ?? 0;

    private static string Pretty(IEnumerable<string> resources, Func<string, decimal> amount) =>
        string.Join(",", resources.Select(r => r + "=" + Format(r, amount(r))));

    private static ApiException Forbidden(JsonObject obj, ResourceKind kind, string reason)
    {
        var name = obj.GetName() is { Length: > 0 } n ? n : obj.GetString("metadata", "generateName") is { Length: > 0 } g ? g : "Unknown";
        return ApiErrors.Forbidden(kind, name, reason);
    }
}

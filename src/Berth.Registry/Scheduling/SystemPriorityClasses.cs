using System.Text.Json.Nodes;

namespace Berth.Registry.Scheduling;

/// <summary>
/// The priority values and the two built-in PriorityClasses every cluster has, <c>system-node-critical</c> and
/// <c>system-cluster-critical</c>. Names starting with <see cref="Prefix"/> are reserved for them. Immutable data.
/// Mirrors kubernetes/kubernetes pkg/apis/scheduling (types.go constants, helpers.go SystemPriorityClasses and
/// IsKnownSystemPriorityClass).
/// </summary>
public static class SystemPriorityClasses
{
    /// <summary>The prefix reserved for the built-in classes.</summary>
    public const string Prefix = "system-";

    /// <summary>The largest value a user-defined class may have.</summary>
    public const long HighestUserDefinablePriority = 1_000_000_000;

    /// <summary>The value of <c>system-cluster-critical</c>; pods at or above it are critical to the kubelet.</summary>
    public const long SystemCriticalPriority = 2 * HighestUserDefinablePriority;

    public const string NodeCritical = "system-node-critical";
    public const string ClusterCritical = "system-cluster-critical";

    /// <summary>The built-in classes: name, value, description.</summary>
    public static readonly IReadOnlyList<(string Name, long Value, string Description)> All =
    [
        (NodeCritical, SystemCriticalPriority + 1000, "Used for system critical pods that must not be moved from their current node."),
        (ClusterCritical, SystemCriticalPriority, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ];

    /// <summary>True when <paramref name="name"/> is a built-in class.</summary>
    public static bool IsSystemName(string name) => All.Any(c => c.Name == name);

    /// <summary>
    /// Null when <paramref name="name"/>, <paramref name="value"/> and <paramref name="globalDefault"/> describe a
    /// built-in class exactly; otherwise the reason they do not (the text upstream appends to its Forbidden error).
    /// </summary>
    public static string? KnownSystemClassError(string name, long value, bool globalDefault)
    {
        foreach (var (known, knownValue, _) in All)
        {
            if (known != name)
            {
                continue;
            }
            if (knownValue != value)
            {
                return $"value of {known} PriorityClass must be {knownValue}";
            }
            return globalDefault ? $"globalDefault of {known} PriorityClass must be false" : null;
        }
        return $"{name} is not a known system priority class";
    }

    /// <summary>The built-in classes as objects to create (storage form without type meta).</summary>
    public static IEnumerable<JsonObject> Objects() => All.Select(c => new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = c.Name },
        ["value"] = c.Value,
        ["description"] = c.Description,
    });
}

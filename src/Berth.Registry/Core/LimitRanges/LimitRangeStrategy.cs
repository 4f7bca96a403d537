using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.LimitRanges;

/// <summary>
/// LimitRanges (core/v1): for Container items, <c>default</c> falls back to <c>max</c> and <c>defaultRequest</c> to
/// <c>default</c>, then to <c>min</c>; validation as upstream. Stateless, thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/core/limitrange/strategy.go and pkg/apis/core/v1/defaults.go (SetDefaults_LimitRangeItem).
/// </summary>
internal sealed class LimitRangeStrategy() : ResourceStrategy(KindRegistry.LimitRanges)
{
    public override void Default(JsonObject obj)
    {
        foreach (var (_, item) in JsonFields.Objects(obj["spec"]?["limits"] as JsonArray))
        {
            if (JsonFields.AsString(item["type"]) != LimitRangeValidation.Container)
            {
                continue;
            }
            CopyMissing(item, "max", "default");
            CopyMissing(item, "default", "defaultRequest");
            CopyMissing(item, "min", "defaultRequest");
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        LimitRangeValidation.Validate(obj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    /// <summary>Copies each resource of <paramref name="from"/> that <paramref name="to"/> lacks (Go: an empty map stays unset).</summary>
    private static void CopyMissing(JsonObject item, string from, string to)
    {
        if (item[from] is not JsonObject source || source.Count == 0)
        {
            return;
        }
        var target = JsonFields.Child(item, to);
        foreach (var (name, value) in source)
        {
            if (!target.ContainsKey(name))
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// A container's <c>resources</c>: known resource names, parseable non-negative quantities, requests not above
/// limits. Mirrors kubernetes/kubernetes pkg/apis/core/validation (ValidateContainerResourceRequirements,
/// validateContainerResourceName, ValidateResourceQuantityValue).
/// </summary>
internal static class ResourceRequirementsValidation
{
    private static readonly HashSet<string> StandardContainerResources = ["cpu", "memory", "ephemeral-storage"];

    public static void Validate(JsonObject? resources, string path, List<FieldError> errs)
    {
        if (resources is null)
        {
            return;
        }
        var limPath = FieldPath.Child(path, "limits");
        var reqPath = FieldPath.Child(path, "requests");
        var limits = resources["limits"] as JsonObject;
        foreach (var (name, value) in limits ?? [])
        {
            ValidateEntry(name, value, FieldPath.Key(limPath, name), errs);
        }
        foreach (var (name, value) in resources["requests"] as JsonObject ?? [])
        {
            ValidateEntry(name, value, FieldPath.Key(reqPath, name), errs);
            if (limits?[name] is { } limit && QuantityValidation.TryParse(value) is { } req &&
                QuantityValidation.TryParse(limit) is { } lim && req > lim)
            {
                errs.Add(FieldError.Invalid(reqPath, QuantityValidation.Text(value),
                    $"must be less than or equal to {name} limit of {QuantityValidation.Text(limit)}"));
            }
        }
    }

    private static void ValidateEntry(string name, JsonNode? value, string path, List<FieldError> errs)
    {
        foreach (var msg in QualifiedNameValidation.IsQualifiedName(name))
        {
            errs.Add(FieldError.Invalid(path, name, msg));
        }
        if (!name.Contains('/') && !StandardContainerResources.Contains(name) &&
            !name.StartsWith("hugepages-", StringComparison.Ordinal))
        {
            errs.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
        }
        QuantityValidation.ValidateNonNegative(value, path, errs);
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Machinery.Errors;
using k8s.Models;

namespace Berth.Registry.Validation;

/// <summary>
/// Parses and checks resource quantities (<c>100m</c>, <c>1Gi</c>, <c>2</c>) held as JSON strings or numbers.
/// Parsing uses KubernetesClient's <see cref="ResourceQuantity"/>, guarded by apimachinery's own format regex.
/// Mirrors k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity) and
/// pkg/apis/core/validation (ValidateResourceQuantityValue, ValidateNonnegativeQuantity).
/// </summary>
internal static partial class QuantityValidation
{
    /// <summary>The regex apimachinery quotes in its parse error (splitREString).</summary>
    public const string QuantityFmt = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    public const string FormatError = "quantities must match the regular expression '" + QuantityFmt + "'";

    /// <summary>The quantity's value, or null when the node is absent or not a valid quantity.</summary>
    public static decimal? TryParse(JsonNode? node)
    {
        var text = Text(node);
        if (text is null || !QuantityRegex().IsMatch(text))
        {
            return null;
        }
        try
        {
            return new ResourceQuantity(text).ToDecimal();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Adds an error when the value is not a quantity, or when it is negative.</summary>
    public static void ValidateNonNegative(JsonNode? node, string path, List<FieldError> errs)
    {
        var text = Text(node);
        if (TryParse(node) is not { } value)
        {
            errs.Add(FieldError.Invalid(path, text ?? node?.ToJsonString(), FormatError));
            return;
        }
        if (value < 0)
        {
            errs.Add(FieldError.Invalid(path, text, ValidationMessages.IsNegativeError));
        }
    }

    /// <summary>Quantity.String(): the canonical form (<c>1000m</c> → <c>1</c>, <c>1024Mi</c> → <c>1Gi</c>); as written when unparsable.</summary>
    public static string Canonical(JsonNode? node)
    {
        var text = Text(node) ?? "0";
        if (!QuantityRegex().IsMatch(text))
        {
            return text;
        }
        try
        {
            return new ResourceQuantity(text).CanonicalizeString();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return text;
        }
    }

    /// <summary>The quantity as written, for messages (a JSON number renders as its digits).</summary>
    public static string? Text(JsonNode? node) =>
        JsonFields.AsString(node) ?? (JsonFields.AsNumber(node) is not null ? node!.ToJsonString() : null);

    [GeneratedRegex(@"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityRegex();
}

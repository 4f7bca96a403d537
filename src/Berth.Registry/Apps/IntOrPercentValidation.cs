using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Apps;

/// <summary>
/// Int-or-percent fields (<c>maxUnavailable</c>, <c>maxSurge</c>, PDB budgets). Mirrors kubernetes/kubernetes
/// pkg/apis/apps/validation (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent, getIntOrPercentValue).
/// </summary>
internal static partial class IntOrPercentValidation
{
    private const string PercentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";

    public static void ValidatePositiveIntOrPercent(JsonNode? value, string path, List<FieldError> errs)
    {
        if (JsonFields.AsString(value) is { } s)
        {
            if (!Percent().IsMatch(s))
            {
                errs.Add(new FieldError(CauseType.FieldValueInvalid, path, ValidationMessages.RegexError(PercentErrMsg, "[0-9]+%", "1%", "93%"), Render(value)));
            }
        }
        else if (JsonFields.AsLong(value) is < 0 and var n)
        {
            errs.Add(FieldError.Invalid(path, n, ValidationMessages.IsNegativeError));
        }
    }

    public static void IsNotMoreThan100Percent(JsonNode? value, string path, List<FieldError> errs)
    {
        if (JsonFields.AsString(value) is { } s && GetValue(value) > 100)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "must not be greater than 100%", Render(value)));
        }
    }

    /// <summary>
    /// The bad value as upstream's field errors print an <c>intstr.IntOrString</c> (Go's <c>%#v</c> of the struct, which
    /// has no value-receiver Stringer): <c>intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}</c>; absent is the
    /// zero value.
    /// </summary>
    public static string Render(JsonNode? value) =>
        JsonFields.AsString(value) is { } s
            ? "intstr.IntOrString{Type:1, IntVal:0, StrVal:" + GoValueRenderer.Quote(s) + "}"
            : "intstr.IntOrString{Type:0, IntVal:" + (JsonFields.AsLong(value) ?? 0).ToString(CultureInfo.InvariantCulture) + ", StrVal:\"\"}";

    /// <summary>The number, with or without a trailing %, or 0 when absent or malformed.</summary>
    public static long GetValue(JsonNode? value)
    {
        if (JsonFields.AsLong(value) is { } n)
        {
            return n;
        }
        var s = JsonFields.AsString(value) ?? "";
        return Percent().IsMatch(s) && long.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
    }

    [GeneratedRegex(@"^[0-9]+%\z", RegexOptions.CultureInvariant)]
    private static partial Regex Percent();
}

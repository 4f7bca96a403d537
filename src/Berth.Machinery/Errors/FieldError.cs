namespace Berth.Machinery.Errors;

/// <summary>
/// One validation failure at a field path. <see cref="ToString"/> renders the upstream text
/// (<c>spec.containers[0].name: Required value</c>), which is what kubectl prints.
/// Mirrors k8s.io/apimachinery/pkg/util/validation/field/errors.go.
/// </summary>
public sealed record FieldError(string Type, string Field, string Detail, string? BadValue = null)
{
    /// <summary>The cause message as upstream builds it: the type's words, then the bad value, then the detail.</summary>
    public string Message
    {
        get
        {
            var head = Type switch
            {
                CauseType.FieldValueRequired => "Required value",
                CauseType.FieldValueInvalid => "Invalid value",
                CauseType.FieldValueDuplicate => "Duplicate value",
                CauseType.FieldValueNotSupported => "Unsupported value",
                CauseType.FieldValueForbidden => "Forbidden",
                CauseType.FieldValueTooLong => "Too long",
                CauseType.FieldValueTypeInvalid => "Invalid value",
                CauseType.FieldValueNotFound => "Not found",
                "FieldValueTooMany" => "Too many",
                _ => Type,
            };
            if (BadValue is not null)
            {
                head += ": " + BadValue;
            }
            return string.IsNullOrEmpty(Detail) ? head : head + ": " + Detail;
        }
    }

    public override string ToString() => $"{Field}: {Message}";

    public static FieldError Required(string field, string detail = "") => new(CauseType.FieldValueRequired, field, detail);

    /// <summary>Invalid value; <paramref name="badValue"/> is rendered as Go's %#v would (strings quoted).</summary>
    public static FieldError Invalid(string field, object? badValue, string detail) =>
        new(CauseType.FieldValueInvalid, field, detail, RenderValue(badValue));

    public static FieldError Duplicate(string field, object? badValue) =>
        new(CauseType.FieldValueDuplicate, field, "", RenderValue(badValue));

    public static FieldError NotSupported(string field, object? badValue, IEnumerable<string> supported) =>
        new(CauseType.FieldValueNotSupported, field,
            "supported values: " + string.Join(", ", supported.Select(s => "\"" + s + "\"")), RenderValue(badValue));

    public static FieldError Forbidden(string field, string detail) => new(CauseType.FieldValueForbidden, field, detail);

    public static FieldError TooLong(string field, int max) =>
        new(CauseType.FieldValueTooLong, field, $"may not be more than {max} bytes");

    internal static string RenderValue(object? v) => v switch
    {
        null => "null",
        string s => GoQuote.Quote(s),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}

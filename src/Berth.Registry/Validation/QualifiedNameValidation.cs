using System.Text.RegularExpressions;

namespace Berth.Registry.Validation;

/// <summary>
/// Formats for label keys and values, annotation keys, config keys, port names and port numbers. Returns upstream
/// messages, empty when valid. Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsQualifiedName,
/// IsValidLabelValue, IsConfigMapKey, IsValidPortName, IsValidPortNum).
/// </summary>
internal static partial class QualifiedNameValidation
{
    public const string ConfigKeyFmt = "[-._a-zA-Z0-9]+";

    private const string ConfigKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

    /// <summary>Label and annotation keys; the one implementation is the label selector parser's.</summary>
    public static IReadOnlyList<string> IsQualifiedName(string value) => Berth.Machinery.Selectors.LabelValidation.IsQualifiedName(value);

    /// <summary>Label values; the one implementation is the label selector parser's.</summary>
    public static IReadOnlyList<string> IsValidLabelValue(string value) => Berth.Machinery.Selectors.LabelValidation.IsValidLabelValue(value);

    /// <summary>Keys of ConfigMap/Secret <c>data</c>: file-name-like, at most 253 characters, not <c>.</c> or <c>..</c>.</summary>
    public static IReadOnlyList<string> IsConfigMapKey(string value)
    {
        var errs = new List<string>();
        if (value.Length > NameValidation.Dns1123SubdomainMaxLength)
        {
            errs.Add(ValidationMessages.MaxLenError(NameValidation.Dns1123SubdomainMaxLength));
        }
        if (!ConfigKey().IsMatch(value))
        {
            errs.Add(ValidationMessages.RegexError(ConfigKeyErrMsg, ConfigKeyFmt, "key.name", "KEY_NAME", "key-name"));
        }
        if (value == ".")
        {
            errs.Add("must not be '.'");
        }
        else if (value == "..")
        {
            errs.Add("must not be '..'");
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            errs.Add("must not start with '..'");
        }
        return errs;
    }

    /// <summary>An IANA_SVC_NAME (RFC 6335): named container and service ports.</summary>
    public static IReadOnlyList<string> IsValidPortName(string port)
    {
        var errs = new List<string>();
        if (port.Length > 15)
        {
            errs.Add(ValidationMessages.MaxLenError(15));
        }
        if (!PortNameCharset().IsMatch(port))
        {
            errs.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!PortNameOneLetter().IsMatch(port))
        {
            errs.Add("must contain at least one letter (a-z)");
        }
        if (port.Contains("--", StringComparison.Ordinal))
        {
            errs.Add("must not contain consecutive hyphens");
        }
        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            errs.Add("must not begin or end with a hyphen");
        }
        return errs;
    }

    public static IReadOnlyList<string> IsValidPortNum(long port) =>
        port is >= 1 and <= 65535 ? [] : [ValidationMessages.InclusiveRangeError(1, 65535)];

    [GeneratedRegex("^" + ConfigKeyFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigKey();

    [GeneratedRegex("^[-a-z0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PortNameCharset();

    [GeneratedRegex("[a-z]", RegexOptions.CultureInvariant)]
    private static partial Regex PortNameOneLetter();
}

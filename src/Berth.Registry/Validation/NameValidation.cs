using System.Text.RegularExpressions;

namespace Berth.Registry.Validation;

/// <summary>
/// Validates a <c>metadata.name</c> (or, with <c>prefix</c> true, a <c>metadata.generateName</c>); returns the
/// upstream messages, empty when valid.
/// </summary>
internal delegate IReadOnlyList<string> NameValidator(string name, bool prefix);

/// <summary>
/// DNS-1123/1035 name formats and the per-kind name validators built on them. Stateless and thread-safe.
/// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label, IsDNS1123Subdomain,
/// IsDNS1035Label) and pkg/api/validation/generic.go (NameIsDNSSubdomain…).
/// </summary>
internal static partial class NameValidation
{
    public const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    public const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    public const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";

    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int Dns1035LabelMaxLength = 63;

    private const string Dns1123LabelErrMsg =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    private const string Dns1123SubdomainErrMsg =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string Dns1035LabelErrMsg =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
        {
            errs.Add(ValidationMessages.MaxLenError(Dns1123LabelMaxLength));
        }
        if (!Dns1123Label().IsMatch(value))
        {
            errs.Add(Dns1123Subdomain().IsMatch(value)
                ? "must not contain dots"
                : ValidationMessages.RegexError(Dns1123LabelErrMsg, Dns1123LabelFmt, "my-name", "123-abc"));
        }
        return errs;
    }

    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        var errs = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            errs.Add(ValidationMessages.MaxLenError(Dns1123SubdomainMaxLength));
        }
        if (!Dns1123Subdomain().IsMatch(value))
        {
            errs.Add(ValidationMessages.RegexError(Dns1123SubdomainErrMsg, Dns1123SubdomainFmt, "example.com"));
        }
        return errs;
    }

    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > Dns1035LabelMaxLength)
        {
            errs.Add(ValidationMessages.MaxLenError(Dns1035LabelMaxLength));
        }
        if (!Dns1035Label().IsMatch(value))
        {
            errs.Add(ValidationMessages.RegexError(Dns1035LabelErrMsg, Dns1035LabelFmt, "my-name", "abc-123"));
        }
        return errs;
    }

    /// <summary>Names of most kinds (pods, deployments, configmaps…).</summary>
    public static IReadOnlyList<string> NameIsDnsSubdomain(string name, bool prefix) =>
        IsDns1123Subdomain(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Namespace names and other names used as a single DNS label.</summary>
    public static IReadOnlyList<string> NameIsDnsLabel(string name, bool prefix) =>
        IsDns1123Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Service names (they become DNS names that must start with a letter).</summary>
    public static IReadOnlyList<string> NameIsDns1035Label(string name, bool prefix) =>
        IsDns1035Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>A generateName prefix may end in '-'; the generated suffix makes the name valid again.</summary>
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name[^1] == '-' ? name[..^2] + "a" : name;

    [GeneratedRegex("^" + Dns1123LabelFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^" + Dns1123SubdomainFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^" + Dns1035LabelFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();
}

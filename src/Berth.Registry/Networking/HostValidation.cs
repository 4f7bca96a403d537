using System.Text.RegularExpressions;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// Host names of ingress rules and TLS entries: a DNS-1123 subdomain, or with a <c>*</c> a wildcard subdomain
/// (<c>*.example.com</c>). Pure. Mirrors k8s.io/apimachinery pkg/util/validation (IsWildcardDNS1123Subdomain).
/// </summary>
internal static partial class HostValidation
{
    private const string WildcardFmt = "\\*\\." + NameValidation.Dns1123SubdomainFmt;
    private const string WildcardErrMsg =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

    /// <summary>The messages for <paramref name="host"/>, empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string host)
    {
        if (!host.Contains('*', StringComparison.Ordinal))
        {
            return NameValidation.IsDns1123Subdomain(host);
        }
        var errs = new List<string>();
        if (host.Length > NameValidation.Dns1123SubdomainMaxLength)
        {
            errs.Add(ValidationMessages.MaxLenError(NameValidation.Dns1123SubdomainMaxLength));
        }
        if (!Wildcard().IsMatch(host))
        {
            errs.Add(ValidationMessages.RegexError(WildcardErrMsg, WildcardFmt, "*.example.com"));
        }
        return errs;
    }

    [GeneratedRegex("^" + WildcardFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Wildcard();
}

using System.Net;
using System.Net.Sockets;
using Berth.Machinery.Errors;

namespace Berth.Registry.Validation;

/// <summary>
/// IP address checks of API validation. Mirrors k8s.io/apimachinery/pkg/util/validation/ip.go (IsValidIP) and
/// ValidateNonSpecialIP of pkg/apis/core/validation/validation.go.
/// </summary>
public static class IPValidation
{
    public const string InvalidIPMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    /// <summary>
    /// Parses an address in the forms upstream accepts: four dotted decimal octets (leading zeros allowed, as Go's
    /// sloppy parser does) or IPv6 text. Unlike <see cref="IPAddress.TryParse(string, out IPAddress)"/> it refuses
    /// the inet_aton shorthands ("10.1", "167772161", hex octets) and IPv6 zones.
    /// </summary>
    public static IPAddress? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Contains('%'))
        {
            return null;
        }
        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit) || int.Parse(parts[i]) > 255)
            {
                return null;
            }
            bytes[i] = (byte)int.Parse(parts[i]);
        }
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Errors for an address that is unspecified, link-local or link-local multicast, with upstream's messages.
    /// Loopback is not refused here: on Berth every Service and pod address is a loopback one
    /// (docs/deviations.md, "Service traffic policies").
    /// </summary>
    public static IEnumerable<FieldError> NonSpecial(IPAddress ip, string text, string path)
    {
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            yield return FieldError.Invalid(path, text, $"may not be unspecified ({text})");
        }
        if (IsLinkLocalUnicast(ip))
        {
            yield return FieldError.Invalid(path, text, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }
        if (IsLinkLocalMulticast(ip))
        {
            yield return FieldError.Invalid(path, text, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
    }

    private static bool IsLinkLocalUnicast(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetwork
        ? ip.GetAddressBytes() is [169, 254, ..]
        : ip.IsIPv6LinkLocal;

    private static bool IsLinkLocalMulticast(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetwork
        ? ip.GetAddressBytes() is [224, 0, 0, _]
        : ip.GetAddressBytes() is [0xff, var scope, ..] && (scope & 0x0f) == 0x02;
}

namespace Berth.ApiServer.Discovery;

/// <summary>
/// Picks the discovery format from an <c>Accept</c> header: walk the media ranges in the order the client sent them;
/// the first aggregated entry (<c>as=APIGroupDiscoveryList;g=apidiscovery.k8s.io</c>) with a served <c>v</c> wins with
/// that exact version, and the first plain JSON entry (or a wildcard) wins as legacy. Quality values only matter as
/// <c>q=0</c> (refused). Pure and thread-safe.
/// </summary>
/// <remarks>
/// Mirrors the content negotiation of kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated
/// (wrapper.go), with the ordering rule verified against kubectl 1.27–1.33: answering v2 to a client that asked only
/// for v2beta1 makes kubectl 1.28 parse the body as legacy and fail.
/// </remarks>
public static class DiscoveryNegotiation
{
    public const string DiscoveryGroup = "apidiscovery.k8s.io";
    public const string DiscoveryListKind = "APIGroupDiscoveryList";

    /// <summary>Chooses the format. A missing or empty header means legacy JSON.</summary>
    public static DiscoveryFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return DiscoveryFormat.Legacy;
        }
        foreach (var range in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var chosen = Classify(range);
            if (chosen != DiscoveryFormat.NotAcceptable)
            {
                return chosen;
            }
        }
        return DiscoveryFormat.NotAcceptable;
    }

    /// <summary>The exact <c>Content-Type</c> for a format; the aggregated ones carry the negotiated version.</summary>
    public static string ContentType(DiscoveryFormat format) => format switch
    {
        DiscoveryFormat.AggregatedV2 => $"application/json;g={DiscoveryGroup};v=v2;as={DiscoveryListKind}",
        DiscoveryFormat.AggregatedV2Beta1 => $"application/json;g={DiscoveryGroup};v=v2beta1;as={DiscoveryListKind}",
        _ => "application/json",
    };

    private static DiscoveryFormat Classify(string range)
    {
        var parts = range.Split(';', StringSplitOptions.TrimEntries);
        var mediaType = parts[0].ToLowerInvariant();
        var parameters = ParseParameters(parts);
        if (parameters.TryGetValue("q", out var q) && IsZeroQuality(q))
        {
            return DiscoveryFormat.NotAcceptable;
        }
        if (mediaType is "*/*" or "application/*")
        {
            return DiscoveryFormat.Legacy;
        }
        if (mediaType != "application/json")
        {
            return DiscoveryFormat.NotAcceptable;
        }
        if (!parameters.TryGetValue("as", out var asKind))
        {
            return DiscoveryFormat.Legacy;
        }
        if (asKind != DiscoveryListKind || parameters.GetValueOrDefault("g") != DiscoveryGroup)
        {
            return DiscoveryFormat.NotAcceptable;
        }
        return parameters.GetValueOrDefault("v") switch
        {
            "v2" => DiscoveryFormat.AggregatedV2,
            "v2beta1" => DiscoveryFormat.AggregatedV2Beta1,
            _ => DiscoveryFormat.NotAcceptable,
        };
    }

    private static Dictionary<string, string> ParseParameters(string[] parts)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.AsSpan(1))
        {
            var eq = part.IndexOf('=');
            if (eq > 0)
            {
                parameters[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
            }
        }
        return parameters;
    }

    private static bool IsZeroQuality(string q) =>
        double.TryParse(q, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && value <= 0;
}

using k8s.Models;

namespace Berth.Kubelet.Network.Dns;

/// <summary>
/// Computes a pod's resolver configuration from its <c>dnsPolicy</c> and <c>dnsConfig</c>:
/// ClusterFirst (and ClusterFirstWithHostNet) → the cluster DNS servers only, search
/// <c>&lt;ns&gt;.svc.&lt;domain&gt; svc.&lt;domain&gt; &lt;domain&gt;</c> followed by the host's search domains,
/// <c>options ndots:5</c>; ClusterFirst on a hostNetwork pod, and Default → the host's resolv.conf; None → only
/// dnsConfig. Then dnsConfig is merged (nameservers and searches appended without duplicates, options overriding by
/// name) and the upstream limits applied: 3 nameservers, 32 search domains, 2048 characters of search line, no
/// domain over 253 characters. Each limit hit adds a <see cref="DnsResult.Warnings"/> entry (upstream's
/// <c>DNSConfigForming</c> event text). Pure and thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (Configurer.GetPodDNS).</remarks>
public sealed class DnsConfigurer(IReadOnlyList<string> clusterDns, string clusterDomain, PodDnsConfig host)
{
    public const int MaxNameservers = 3;
    public const int MaxSearchPaths = 32;
    public const int MaxSearchListChars = 2048;
    public const int MaxDomainLength = 253;

    /// <summary>The options ClusterFirst pods get (upstream defaultDNSOptions).</summary>
    public static readonly IReadOnlyList<string> DefaultOptions = ["ndots:5"];

    /// <summary>The resolver configuration, or <see cref="DnsResult.Warnings"/> explaining what was cut or replaced.</summary>
    public DnsResult GetPodDns(V1Pod pod)
    {
        var warnings = new List<DnsWarning>();
        var config = Base(pod, warnings);
        if (pod.Spec?.DnsConfig is { } extra)
        {
            config = new PodDnsConfig(
                Distinct(config.Servers.Concat(extra.Nameservers ?? [])),
                Distinct(config.Searches.Concat(extra.Searches ?? [])),
                MergeOptions(config.Options, extra.Options ?? []));
        }
        return new DnsResult(config with { Searches = FitSearches(config.Searches, warnings), Servers = FitServers(config.Servers, warnings) }, warnings);
    }

    private PodDnsConfig Base(V1Pod pod, List<DnsWarning> warnings)
    {
        var hostNetwork = pod.Spec?.HostNetwork == true;
        var policy = pod.Spec?.DnsPolicy ?? "ClusterFirst";
        var cluster = policy switch
        {
            "None" => (bool?)null,
            "ClusterFirstWithHostNet" => true,
            "Default" => false,
            "ClusterFirst" => !hostNetwork,
            _ => true,
        };
        if (cluster is null)
        {
            return PodDnsConfig.Empty;
        }
        if (cluster == true && clusterDns.Count > 0)
        {
            return new PodDnsConfig([.. clusterDns], ClusterSearches(pod), DefaultOptions);
        }
        if (cluster == true)
        {
            warnings.Add(new DnsWarning(DnsWarning.MissingClusterDns,
                $"pod: \"{Container.PodFormat.Pod(pod)}\". kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy."));
        }
        return host;
    }

    private List<string> ClusterSearches(V1Pod pod)
    {
        if (string.IsNullOrEmpty(clusterDomain))
        {
            return [.. host.Searches];
        }
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        return Distinct([$"{ns}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain, .. host.Searches]);
    }

    private static List<string> Distinct(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal)];

    // Later entries override earlier ones with the same name; first-seen order is kept.
    private static List<string> MergeOptions(IReadOnlyList<string> existing, IList<V1PodDNSConfigOption> overrides)
    {
        var merged = new List<KeyValuePair<string, string>>();
        void Set(string name, string value)
        {
            var index = merged.FindIndex(p => p.Key == name);
            if (index >= 0)
            {
                merged[index] = new(name, value);
            }
            else
            {
                merged.Add(new(name, value));
            }
        }
        foreach (var option in existing)
        {
            var colon = option.IndexOf(':', StringComparison.Ordinal);
            Set(colon >= 0 ? option[..colon] : option, colon >= 0 ? option[(colon + 1)..] : "");
        }
        foreach (var option in overrides)
        {
            Set(option.Name ?? "", option.Value ?? "");
        }
        return [.. merged.Select(p => p.Value.Length > 0 ? $"{p.Key}:{p.Value}" : p.Key)];
    }

    private static List<string> FitSearches(IReadOnlyList<string> searches, List<DnsWarning> warnings)
    {
        var exceeded = searches.Count > MaxSearchPaths || searches.Any(s => s.Length > MaxDomainLength);
        var fitted = searches.Take(MaxSearchPaths).Where(s => s.Length <= MaxDomainLength).ToList();
        var length = string.Join(' ', fitted).Length;
        if (length > MaxSearchListChars)
        {
            exceeded = true;
            while (fitted.Count > 0 && length > MaxSearchListChars)
            {
                length -= fitted[^1].Length + 1;
                fitted.RemoveAt(fitted.Count - 1);
            }
        }
        if (exceeded)
        {
            warnings.Add(new DnsWarning(DnsWarning.DnsConfigForming,
                $"Search Line limits were exceeded, some search paths have been omitted, the applied search line is: {string.Join(' ', fitted)}"));
        }
        return fitted;
    }

    private static IReadOnlyList<string> FitServers(IReadOnlyList<string> servers, List<DnsWarning> warnings)
    {
        if (servers.Count <= MaxNameservers)
        {
            return servers;
        }
        var fitted = servers.Take(MaxNameservers).ToList();
        warnings.Add(new DnsWarning(DnsWarning.DnsConfigForming,
            $"Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: {string.Join(' ', fitted)}"));
        return fitted;
    }
}

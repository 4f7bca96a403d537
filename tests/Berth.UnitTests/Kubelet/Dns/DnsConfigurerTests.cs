using Berth.Kubelet.Network.Dns;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Dns;

public sealed class DnsConfigurerTests
{
    private static readonly PodDnsConfig Host = ResolvConfParser.Parse("""
        # host resolver
        nameserver 10.0.0.2
        nameserver 10.0.0.3 ; second
        search corp.example. lab.example
        options rotate timeout:2
        """);

    private static DnsConfigurer Configurer(params string[] clusterDns) => new(clusterDns.Length > 0 ? clusterDns : ["127.96.0.10"], "cluster.local", Host);

    private static V1Pod Pod(string? policy = null, bool hostNetwork = false, V1PodDNSConfig? dnsConfig = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "u1" },
        Spec = new V1PodSpec { DnsPolicy = policy, HostNetwork = hostNetwork, DnsConfig = dnsConfig, Containers = [] },
    };

    [Fact]
    public void Parse_HostResolvConf_ServersLastSearchOptions()
    {
        Assert.Equal(["10.0.0.2", "10.0.0.3"], Host.Servers);
        Assert.Equal(["corp.example", "lab.example"], Host.Searches);
        Assert.Equal(["rotate", "timeout:2"], Host.Options);
    }

    [Fact]
    public void GetPodDns_ClusterFirst_ClusterServerSearchPathNdots5()
    {
        var result = Configurer().GetPodDns(Pod("ClusterFirst"));

        Assert.Equal("""
            search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
            nameserver 127.96.0.10
            options ndots:5

            """.ReplaceLineEndings("\n"), result.Config.ToResolvConf());
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void GetPodDns_NoPolicy_DefaultsToClusterFirst() =>
        Assert.Equal(["127.96.0.10"], Configurer().GetPodDns(Pod()).Config.Servers);

    [Fact]
    public void GetPodDns_ClusterFirstOnHostNetwork_HostResolver() =>
        Assert.Equal(Host.ToResolvConf(), Configurer().GetPodDns(Pod("ClusterFirst", hostNetwork: true)).Config.ToResolvConf());

    [Fact]
    public void GetPodDns_ClusterFirstWithHostNet_ClusterServer() =>
        Assert.Equal(["127.96.0.10"], Configurer().GetPodDns(Pod("ClusterFirstWithHostNet", hostNetwork: true)).Config.Servers);

    [Fact]
    public void GetPodDns_Default_HostResolver() =>
        Assert.Equal(Host.ToResolvConf(), Configurer().GetPodDns(Pod("Default")).Config.ToResolvConf());

    [Fact]
    public void GetPodDns_NoneWithDnsConfig_OnlyDnsConfig()
    {
        var config = Configurer().GetPodDns(Pod("None", dnsConfig: new V1PodDNSConfig
        {
            Nameservers = ["1.1.1.1"], Searches = ["my.example"], Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }, new V1PodDNSConfigOption { Name = "edns0" }],
        })).Config;

        Assert.Equal("search my.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n", config.ToResolvConf());
    }

    [Fact]
    public void GetPodDns_ClusterFirstWithDnsConfig_AppendedWithoutDuplicatesOptionsOverridden()
    {
        var config = Configurer().GetPodDns(Pod("ClusterFirst", dnsConfig: new V1PodDNSConfig
        {
            Nameservers = ["127.96.0.10", "9.9.9.9"], Searches = ["svc.cluster.local", "extra.example"],
            Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "1" }, new V1PodDNSConfigOption { Name = "single-request" }],
        })).Config;

        Assert.Equal(["127.96.0.10", "9.9.9.9"], config.Servers);
        Assert.Equal(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "lab.example", "extra.example"], config.Searches);
        Assert.Equal(["ndots:1", "single-request"], config.Options);
    }

    [Fact]
    public void GetPodDns_MoreThanThreeNameservers_CutWithWarning()
    {
        var result = Configurer("10.1.0.1", "10.1.0.2").GetPodDns(Pod(dnsConfig: new V1PodDNSConfig { Nameservers = ["10.1.0.3", "10.1.0.4"] }));

        Assert.Equal(["10.1.0.1", "10.1.0.2", "10.1.0.3"], result.Config.Servers);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DnsWarning.DnsConfigForming, warning.Reason);
        Assert.Equal("Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.1.0.1 10.1.0.2 10.1.0.3", warning.Message);
    }

    [Fact]
    public void GetPodDns_TooManySearchesAndTooLongDomain_CutToLimits()
    {
        var searches = Enumerable.Range(0, 40).Select(i => $"d{i}.example").Prepend(new string('x', 254)).ToList();

        var result = Configurer().GetPodDns(Pod("None", dnsConfig: new V1PodDNSConfig { Searches = searches }));

        Assert.Equal(31, result.Config.Searches.Count);
        Assert.Equal("d0.example", result.Config.Searches[0]);
        Assert.StartsWith("Search Line limits were exceeded", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetPodDns_SearchLineOver2048Chars_TrailingDomainsDropped()
    {
        var searches = Enumerable.Range(0, 12).Select(i => new string((char)('a' + i), 200)).ToList();

        var result = Configurer().GetPodDns(Pod("None", dnsConfig: new V1PodDNSConfig { Searches = searches }));

        Assert.Equal(10, result.Config.Searches.Count);
        Assert.True(string.Join(' ', result.Config.Searches).Length <= DnsConfigurer.MaxSearchListChars);
    }

    [Fact]
    public void GetPodDns_ClusterFirstWithoutClusterDns_FallsBackToHostWithWarning()
    {
        var result = new DnsConfigurer([], "cluster.local", Host).GetPodDns(Pod("ClusterFirst"));

        Assert.Equal(Host.Servers, result.Config.Servers);
        Assert.Equal(DnsWarning.MissingClusterDns, Assert.Single(result.Warnings).Reason);
    }
}

using Berth.Registry.Networking;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Networking;

/// <summary>NetworkPolicy defaulting and validation (upstream SetDefaults_NetworkPolicy, ValidateNetworkPolicySpec).</summary>
public sealed class NetworkPolicyStrategyTests
{
    private readonly NetworkPolicyStrategy _strategy = new();

    private static string Policy(string spec) => """{"metadata":{"name":"np","namespace":"default"},"spec":""" + spec + "}";

    [Theory]
    [InlineData("""{"podSelector":{}}""", """["Ingress"]""")]
    [InlineData("""{"podSelector":{},"egress":[{}]}""", """["Ingress","Egress"]""")]
    [InlineData("""{"podSelector":{},"policyTypes":["Egress"]}""", """["Egress"]""")]
    public void Default_PolicyTypes(string spec, string expected)
    {
        var np = Parse(Policy(spec));

        Assert.Empty(Create(_strategy, np));

        Assert.Equal(expected, np["spec"]!["policyTypes"]!.ToJsonString());
    }

    [Fact]
    public void Default_PortProtocolIsTcp()
    {
        var np = Parse(Policy("""{"podSelector":{},"ingress":[{"ports":[{"port":80},{"port":53,"protocol":"UDP"}]}]}"""));

        Create(_strategy, np);

        Assert.Equal("""[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]""", np["spec"]!["ingress"]![0]!["ports"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"podSelector":{},"ingress":[{"ports":[{"port":0}]}]}""", "spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")]
    [InlineData("""{"podSelector":{},"ingress":[{"ports":[{"port":80,"endPort":70}]}]}""", "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`")]
    [InlineData("""{"podSelector":{},"ingress":[{"ports":[{"port":"http","endPort":90}]}]}""", "spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric")]
    [InlineData("""{"podSelector":{},"ingress":[{"ports":[{"endPort":90}]}]}""", "spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified")]
    [InlineData("""{"podSelector":{},"egress":[{"ports":[{"protocol":"ICMP"}]}]}""", "spec.egress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"")]
    [InlineData("""{"podSelector":{},"ingress":[{"from":[{}]}]}""", "spec.ingress[0].from[0]: Required value: must specify a peer")]
    [InlineData("""{"podSelector":{},"ingress":[{"from":[{"podSelector":{},"ipBlock":{"cidr":"10.0.0.0/8"}}]}]}""", "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer")]
    [InlineData("""{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/33"}}]}]}""", "spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    [InlineData("""{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/16","except":["10.1.0.0/24"]}}]}]}""", "spec.egress[0].to[0].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`")]
    [InlineData("""{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/16","except":["10.0.0.0/16"]}}]}]}""", "spec.egress[0].to[0].ipBlock.except[0]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`")]
    [InlineData("""{"podSelector":{},"egress":[{"to":[{"ipBlock":{}}]}]}""", "spec.egress[0].to[0].ipBlock.cidr: Required value")]
    [InlineData("""{"podSelector":{},"policyTypes":["Ingress","Egress","Ingress"]}""", "spec.policyTypes: Invalid value: []networking.PolicyType{\"Ingress\", \"Egress\", \"Ingress\"}: may not specify more than two policyTypes")]
    [InlineData("""{"podSelector":{},"policyTypes":["Sideways"]}""", "spec.policyTypes[0]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"")]
    [InlineData("""{"podSelector":{"matchExpressions":[{"key":"a","operator":"In"}]}}""", "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    public void Validate_RejectsWithUpstreamMessage(string spec, string expected) =>
        Assert.Contains(expected, Create(_strategy, Parse(Policy(spec))));

    [Fact]
    public void Validate_AcceptsAFullPolicy_AndTracksGeneration()
    {
        var np = Parse(Policy("""
            {"podSelector":{"matchLabels":{"app":"web"}},
             "ingress":[{"from":[{"namespaceSelector":{},"podSelector":{}},{"ipBlock":{"cidr":"2001:db8::/32","except":["2001:db8:1::/48"]}}],
                         "ports":[{"port":8000,"endPort":9000},{"port":"http"}]}],
             "egress":[{"to":[{"ipBlock":{"cidr":"10.1.2.3/8"}}]}]}
            """));

        Assert.Empty(Create(_strategy, np));
        Assert.True(_strategy.TracksGeneration);
    }
}

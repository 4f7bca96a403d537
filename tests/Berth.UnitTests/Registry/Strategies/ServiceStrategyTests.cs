using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Services;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class ServiceStrategyTests
{
    private static JsonObject Service(string spec) =>
        Parse("""{"metadata":{"name":"web","namespace":"default"},"spec":""" + spec + "}");

    [Fact]
    public void Create_MinimalService_DefaultsApplied()
    {
        var svc = Service("""{"selector":{"app":"web"},"ports":[{"port":80}]}""");

        Assert.Empty(Create(new ServiceStrategy(), svc));
        var spec = svc.GetObject("spec")!;
        Assert.Equal("ClusterIP", spec.GetString("type"));
        Assert.Equal("None", spec.GetString("sessionAffinity"));
        Assert.Equal("Cluster", spec.GetString("internalTrafficPolicy"));
        Assert.Null(spec["externalTrafficPolicy"]);
        Assert.Null(spec["ipFamilies"]);
        Assert.Equal("""{"port":80,"protocol":"TCP","targetPort":80}""", spec["ports"]![0]!.ToJsonString());
        Assert.Equal("""{"loadBalancer":{}}""", svc["status"]!.ToJsonString());
    }

    [Fact]
    public void Default_NodePortWithClusterIP_ExternalPolicyAndFamilies()
    {
        var svc = Service("""{"type":"NodePort","clusterIP":"10.96.0.10","ports":[{"port":80,"targetPort":"http"}]}""");
        new ServiceStrategy().Default(svc);

        var spec = svc.GetObject("spec")!;
        Assert.Equal("Cluster", spec.GetString("externalTrafficPolicy"));
        Assert.Equal("""["10.96.0.10"]""", spec["clusterIPs"]!.ToJsonString());
        Assert.Equal("""["IPv4"]""", spec["ipFamilies"]!.ToJsonString());
        Assert.Equal("SingleStack", spec.GetString("ipFamilyPolicy"));
        Assert.Equal("http", spec["ports"]![0]!["targetPort"]!.GetValue<string>());
    }

    public static TheoryData<string, string> InvalidServices => new()
    {
        { """{"selector":{"app":"web"}}""", "spec.ports: Required value" },
        { """{"ports":[{"port":80},{"port":81}]}""", "spec.ports[0].name: Required value" },
        { """{"ports":[{"name":"a","port":80},{"name":"a","port":81}]}""", "spec.ports[1].name: Duplicate value: \"a\"" },
        { """{"ports":[{"port":0}]}""", "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive" },
        { """{"ports":[{"port":80,"protocol":"ICMP"}]}""", "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" },
        { """{"type":"Magic","ports":[{"port":80}]}""", "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"" },
        { """{"type":"ExternalName"}""", "spec.externalName: Required value" },
        { """{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":0}},"ports":[{"port":80}]}""", "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400" },
        { """{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":86401}},"ports":[{"port":80}]}""", "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400" },
        { """{"type":"ExternalName","externalName":"a.example","clusterIP":"10.96.0.5"}""", "spec.clusterIPs: Forbidden: may not be set for ExternalName services" },
        { """{"type":"ExternalName","externalName":"a.example","ipFamilyPolicy":"SingleStack"}""", "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services" },
        { """{"ports":[{"port":80,"nodePort":30080}]}""", "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" },
        { """{"type":"NodePort","clusterIP":"None","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services" },
        { """{"type":"LoadBalancer","clusterIP":"None","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services" },
        { """{"type":"NodePort","ports":[{"name":"a","port":80,"nodePort":31600},{"name":"b","port":81,"nodePort":31600}]}""", "spec.ports[1].nodePort: Duplicate value: 31600" },
        { """{"ports":[{"name":"a","port":443},{"name":"b","port":443}]}""", "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:443, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}" },
        { """{"externalIPs":["abc"],"ports":[{"port":80}]}""", "spec.externalIPs[0]: Invalid value: \"abc\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
        { """{"externalIPs":["10.1"],"ports":[{"port":80}]}""", "spec.externalIPs[0]: Invalid value: \"10.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
        { """{"externalIPs":["0.0.0.0"],"ports":[{"port":80}]}""", "spec.externalIPs[0]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)" },
        { """{"externalIPs":["127.0.0.9","169.254.1.1"],"ports":[{"port":80}]}""", "spec.externalIPs[1]: Invalid value: \"169.254.1.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)" },
        { """{"externalIPs":["224.0.0.7"],"ports":[{"port":80}]}""", "spec.externalIPs[0]: Invalid value: \"224.0.0.7\": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)" },
        { """{"clusterIP":"127.96.1","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"127.96.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
        { """{"selector":{"app":"-x"},"ports":[{"port":80}]}""", "spec.selector: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" },
    };

    [Theory]
    [MemberData(nameof(InvalidServices))]
    public void Validate_InvalidSpec_ReportsUpstreamFieldAndMessage(string spec, string expected)
    {
        Assert.Contains(expected, Create(new ServiceStrategy(), Service(spec)));
    }

    [Fact]
    public void Validate_SamePortOrNodePortOnTwoProtocols_Accepted()
    {
        var svc = Service("""{"type":"NodePort","ports":[{"name":"dns","port":53,"nodePort":31053},{"name":"dns-udp","port":53,"protocol":"UDP","nodePort":31053}]}""");

        Assert.Empty(Create(new ServiceStrategy(), svc));
    }

    [Fact]
    public void Validate_UnknownType_NoInternalTrafficPolicyError()
    {
        var errors = Create(new ServiceStrategy(), Service("""{"type":"Magic","ports":[{"port":80}]}"""));

        Assert.DoesNotContain(errors, e => e.Contains("internalTrafficPolicy", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LoopbackAndLeadingZeroExternalIPs_Accepted()
    {
        // Loopback is refused upstream but is the only address family Berth serves on (docs/deviations.md).
        var svc = Service("""{"externalIPs":["127.0.0.9","127.000.000.010","203.0.113.4"],"ports":[{"port":80}]}""");

        Assert.Empty(Create(new ServiceStrategy(), svc));
    }

    [Fact]
    public void Validate_HeadlessWithoutPorts_Accepted()
    {
        Assert.Empty(Create(new ServiceStrategy(), Service("""{"clusterIP":"None","selector":{"app":"db"}}""")));
    }

    [Fact]
    public void Validate_NameStartingWithDigit_Dns1035Message()
    {
        var svc = Parse("""{"metadata":{"name":"1web","namespace":"default"},"spec":{"ports":[{"port":80}]}}""");

        Assert.Contains(
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            Create(new ServiceStrategy(), svc));
    }

    [Fact]
    public void ValidateUpdate_ClusterIPChanged_MayNotChange()
    {
        var strategy = new ServiceStrategy();
        var old = Service("""{"clusterIP":"10.96.0.10","ports":[{"port":80}]}""");
        Create(strategy, old);
        var updated = With(old, s => { s.GetObject("spec")!["clusterIP"] = "10.96.0.11"; s.GetObject("spec")!["clusterIPs"] = new JsonArray("10.96.0.11"); });

        Assert.Contains("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set", Update(strategy, updated, old));
    }

    [Fact]
    public void PrepareForUpdate_ClusterIPAndNodePortOmitted_KeptFromOld()
    {
        var strategy = new ServiceStrategy();
        var old = Service("""{"type":"NodePort","clusterIP":"10.96.0.10","ports":[{"port":80,"nodePort":30080}]}""");
        Create(strategy, old);
        var updated = Service("""{"type":"NodePort","ports":[{"port":80}]}""");

        Assert.Empty(Update(strategy, updated, old));
        Assert.Equal("10.96.0.10", updated.GetString("spec", "clusterIP"));
        Assert.Equal(30080, updated["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
    }
}

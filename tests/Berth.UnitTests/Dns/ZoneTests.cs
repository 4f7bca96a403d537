using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Berth.Dns;
using Berth.Dns.Zone;
using k8s.Models;

namespace Berth.UnitTests.Dns;

public sealed class ZoneTests
{
    private const string Domain = "cluster.local";

    private static V1Service Service(string name, string clusterIP, string? type = null, string? externalName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIP,
            Type = type,
            ExternalName = externalName,
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
        },
    };

    private static V1EndpointSlice Slice(string service, params (string Ip, bool Ready, string? Hostname)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = service + "-abc",
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
        Endpoints = endpoints.Select(e => new V1Endpoint
        {
            Addresses = [e.Ip],
            Hostname = e.Hostname,
            Conditions = new V1EndpointConditions { Ready = e.Ready },
        }).ToList(),
    };

    private static async Task<DnsMessage> AskAsync(string name, RecordType type, ZoneSnapshot zone)
    {
        var resolver = new ClusterDnsResolver(new ClusterDnsOptions(), new UpstreamForwarder([], TimeSpan.FromSeconds(1)));
        resolver.Publish(zone);
        var query = new DnsMessage { TransactionID = 7 };
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
        return await resolver.ResolveAsync(query, CancellationToken.None).DefaultTimeout();
    }

    private static ZoneSnapshot Zone() => ZoneBuilder.Build(Domain,
        [Service("web", "127.96.0.20"), Service("db", "None"), Service("ext", "", "ExternalName", "example.org")],
        [Slice("db", ("127.0.1.5", true, null), ("127.0.1.6", true, "db-0"), ("127.0.1.7", false, null))]);

    [Fact]
    public async Task Resolve_ClusterIPService_AnswersClusterIP()
    {
        var response = await AskAsync("web.shop.svc.cluster.local", RecordType.A, Zone());

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.Equal([IPAddress.Parse("127.96.0.20")], response.AnswerRecords.OfType<ARecord>().Select(a => a.Address));
    }

    [Fact]
    public async Task Resolve_HeadlessService_AnswersReadyEndpointAddresses()
    {
        var response = await AskAsync("db.shop.svc.cluster.local", RecordType.A, Zone());

        Assert.Equal(["127.0.1.5", "127.0.1.6"], response.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString()).Order());
    }

    [Fact]
    public async Task Resolve_NamedPortSrv_AnswersPortAndTargetWithAdditionalA()
    {
        var response = await AskAsync("_http._tcp.web.shop.svc.cluster.local", RecordType.Srv, Zone());

        var srv = Assert.Single(response.AnswerRecords.OfType<SrvRecord>());
        Assert.Equal(80, srv.Port);
        Assert.Equal("web.shop.svc.cluster.local.", srv.Target.ToString());
        Assert.Single(response.AdditionalRecords.OfType<ARecord>());
    }

    [Fact]
    public async Task Resolve_HeadlessSrv_TargetsEachReadyEndpoint()
    {
        var response = await AskAsync("_http._tcp.db.shop.svc.cluster.local", RecordType.Srv, Zone());

        Assert.Equal(["127-0-1-5.db.shop.svc.cluster.local.", "db-0.db.shop.svc.cluster.local."],
            response.AnswerRecords.OfType<SrvRecord>().Select(s => s.Target.ToString()).Order());
        Assert.All(response.AnswerRecords.OfType<SrvRecord>(), s => Assert.Equal(8080, s.Port));
    }

    [Fact]
    public async Task Resolve_ServiceNameSrv_OnePerPortTargetingTheService()
    {
        var multi = Service("multi", "127.96.0.30");
        multi.Spec.Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }, new V1ServicePort { Port = 81, Protocol = "TCP" }];
        var zone = ZoneBuilder.Build(Domain, [multi], []);

        var response = await AskAsync("multi.shop.svc.cluster.local", RecordType.Srv, zone);

        Assert.Equal([(80, 50), (81, 50)], response.AnswerRecords.OfType<SrvRecord>().Select(s => ((int)s.Port, (int)s.Weight)).Order());
        Assert.All(response.AnswerRecords.OfType<SrvRecord>(), s => Assert.Equal("multi.shop.svc.cluster.local.", s.Target.ToString()));
    }

    [Fact]
    public async Task Resolve_HeadlessServiceNameSrv_OnePerReadyEndpoint()
    {
        var response = await AskAsync("db.shop.svc.cluster.local", RecordType.Srv, Zone());

        Assert.Equal(["127-0-1-5.db.shop.svc.cluster.local.", "db-0.db.shop.svc.cluster.local."],
            response.AnswerRecords.OfType<SrvRecord>().Select(s => s.Target.ToString()).Order());
    }

    [Fact]
    public async Task Resolve_EndpointNameOfClusterIPService_AnswersEndpointAddress()
    {
        var zone = ZoneBuilder.Build(Domain, [Service("web", "127.96.0.20")], [Slice("web", ("127.0.1.9", true, null), ("127.0.1.10", false, null))]);

        var ready = await AskAsync("127-0-1-9.web.shop.svc.cluster.local", RecordType.A, zone);
        var notReady = await AskAsync("127-0-1-10.web.shop.svc.cluster.local", RecordType.A, zone);

        Assert.Equal("127.0.1.9", Assert.Single(ready.AnswerRecords.OfType<ARecord>()).Address.ToString());
        Assert.Equal(ReturnCode.NxDomain, notReady.ReturnCode);
    }

    [Fact]
    public async Task Resolve_ExternalName_AnswersCname()
    {
        var response = await AskAsync("ext.shop.svc.cluster.local", RecordType.CName, Zone());

        Assert.Equal("example.org.", Assert.Single(response.AnswerRecords.OfType<CNameRecord>()).CanonicalName.ToString());
    }

    [Fact]
    public async Task Resolve_PodName_AnswersEncodedAddress()
    {
        var response = await AskAsync("127-0-1-5.shop.pod.cluster.local", RecordType.A, Zone());

        Assert.Equal("127.0.1.5", Assert.Single(response.AnswerRecords.OfType<ARecord>()).Address.ToString());
    }

    [Fact]
    public async Task Resolve_ClusterIPReverse_PointsToServiceName()
    {
        var response = await AskAsync("20.0.96.127.in-addr.arpa", RecordType.Ptr, Zone());

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.True(response.IsAuthoritiveAnswer);
        Assert.Equal("web.shop.svc.cluster.local.", Assert.Single(response.AnswerRecords.OfType<PtrRecord>()).PointerDomainName.ToString());
    }

    [Fact]
    public async Task Resolve_EndpointReverse_PointsToEndpointNameOfEachService()
    {
        var zone = ZoneBuilder.Build(Domain, [Service("db", "None"), Service("web", "127.96.0.20")],
            [Slice("db", ("127.0.1.6", true, "db-0")), Slice("web", ("127.0.1.6", true, null))]);

        var response = await AskAsync("6.1.0.127.in-addr.arpa", RecordType.Ptr, zone);

        Assert.Equal(["127-0-1-6.web.shop.svc.cluster.local.", "db-0.db.shop.svc.cluster.local."],
            response.AnswerRecords.OfType<PtrRecord>().Select(p => p.PointerDomainName.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Resolve_UnknownOrNotReadyReverse_Forwarded()
    {
        var notReady = await AskAsync("7.1.0.127.in-addr.arpa", RecordType.Ptr, Zone());
        var unknown = await AskAsync("99.0.96.127.in-addr.arpa", RecordType.Ptr, Zone());

        Assert.Equal(ReturnCode.ServerFailure, notReady.ReturnCode);
        Assert.Equal(ReturnCode.ServerFailure, unknown.ReturnCode);
    }

    [Theory]
    [InlineData("nope.shop.svc.cluster.local", ReturnCode.NxDomain)]
    [InlineData("web.other.svc.cluster.local", ReturnCode.NxDomain)]
    [InlineData("shop.svc.cluster.local", ReturnCode.NoError)]
    public async Task Resolve_NameWithoutRecords_NxDomainOrNoDataWithSoa(string name, ReturnCode expected)
    {
        var response = await AskAsync(name, RecordType.A, Zone());

        Assert.Equal(expected, response.ReturnCode);
        Assert.Empty(response.AnswerRecords);
        Assert.Single(response.AuthorityRecords.OfType<SoaRecord>());
    }

    [Fact]
    public async Task Resolve_OutsideZoneWithoutUpstream_ServFail()
    {
        var response = await AskAsync("example.org", RecordType.A, Zone());

        Assert.Equal(ReturnCode.ServerFailure, response.ReturnCode);
    }

    [Fact]
    public void ParseNameservers_ResolvConf_ReadsNameserverLines() =>
        Assert.Equal([IPAddress.Parse("127.0.0.53"), IPAddress.Parse("10.0.0.2")],
            ResolvConf.ParseNameservers("# comment\nnameserver 127.0.0.53\noptions edns0\nsearch x\nnameserver 10.0.0.2\nnameserver bogus\n"));
}

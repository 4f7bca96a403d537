using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using static Berth.E2ETests.Proxy.ProxyManifests;

namespace Berth.E2ETests.Proxy;

/// <summary>Issue 4 §5: cluster DNS of a real server, queried over UDP and TCP with ARSoft's client on a free port.</summary>
[Trait("Category", "E2E")]
[Collection(ProxyCollection.Name)]
public sealed class ClusterDnsTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private async Task<DnsMessage> QueryAsync(string name, RecordType type, bool tcp = false)
    {
        IClientTransport transport = tcp ? new TcpClientTransport(fixture.DnsPort) : new UdpClientTransport(fixture.DnsPort);
        var client = new DnsClient([ProxyServerFixture.DnsAddress], [transport], true, 3000);
        var response = await client.ResolveAsync(DomainName.Parse(name), type).DefaultTimeout();
        return response ?? throw new InvalidOperationException($"no DNS answer for {name}");
    }

    [Fact]
    public async Task Query_ServiceHeadlessSrvAndExternalName_AnswersLikeCoreDns()
    {
        var ns = await fixture.NewNamespaceAsync("dns");
        await K.OkAsync("apply -f -", Service(ns, "web", "web"));
        await K.OkAsync("apply -f -", Service(ns, "db", "db", headless: true));
        await K.OkAsync("apply -f -", ExternalNameService(ns, "ext", "example.org"));
        await K.OkAsync("apply -f -", NamePod(ns, "db-0", "db"));
        await K.OkAsync($"wait --for=condition=Ready pod/db-0 -n {ns} --timeout=20s");
        var clusterIP = (await fixture.ClusterAddressAsync(ns, "web")).Address;
        var podIP = IPAddress.Parse((await K.OkAsync($"get pod db-0 -n {ns} -o jsonpath={{.status.podIP}}")).Trim());
        var zone = $"{ns}.svc.cluster.local";

        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await QueryAsync($"db.{zone}", RecordType.A)).AnswerRecords.OfType<ARecord>().Any(a => a.Address.Equals(podIP)),
            because: "the headless service resolves to its ready pod");
        var web = await QueryAsync($"web.{zone}", RecordType.A);
        Assert.Equal([clusterIP], web.AnswerRecords.OfType<ARecord>().Select(a => a.Address));
        var overTcp = await QueryAsync($"web.{zone}", RecordType.A, tcp: true);
        Assert.Equal([clusterIP], overTcp.AnswerRecords.OfType<ARecord>().Select(a => a.Address));

        var srv = Assert.Single((await QueryAsync($"_http._tcp.web.{zone}", RecordType.Srv)).AnswerRecords.OfType<SrvRecord>());
        Assert.Equal(80, srv.Port);
        Assert.Equal($"web.{zone}.", srv.Target.ToString());

        var cname = await QueryAsync($"ext.{zone}", RecordType.CName);
        Assert.Equal("example.org.", Assert.Single(cname.AnswerRecords.OfType<CNameRecord>()).CanonicalName.ToString());

        var pod = await QueryAsync($"{podIP.ToString().Replace('.', '-')}.{ns}.pod.cluster.local", RecordType.A);
        Assert.Equal([podIP], pod.AnswerRecords.OfType<ARecord>().Select(a => a.Address));

        var missing = await QueryAsync($"nope.{zone}", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, missing.ReturnCode);
    }
}

using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class ServicePrinterTests
{
    private static IReadOnlyList<object?> Svc(string spec, string status = "{}") =>
        Cells(KindRegistry.Services, $$"""{"metadata":{"name":"web","creationTimestamp":"ago:13"},"spec":{{spec}},"status":{{status}} }""");

    [Fact]
    public void ClusterIP_PrintsPortsAndSelector() =>
        Assert.Equal(["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "13s", "app=web,tier=front"],
            Svc("""{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"ports":[{"port":80,"protocol":"TCP","targetPort":8080},{"port":53,"protocol":"UDP"}],"selector":{"tier":"front","app":"web"}}"""));

    [Fact]
    public void Headless_PrintsNone() =>
        Assert.Equal("None", Svc("""{"clusterIP":"None","clusterIPs":["None"],"ports":[{"port":80}]}""")[2]);

    [Fact]
    public void ClusterIPWithoutClusterIPs_FallsBackToClusterIP() =>
        Assert.Equal("10.96.0.1", Svc("""{"clusterIP":"10.96.0.1"}""")[2]);

    [Fact]
    public void NodePort_PrintsNodePortAndExternalIPs()
    {
        var cells = Svc("""{"type":"NodePort","clusterIPs":["10.96.0.3"],"externalIPs":["1.2.3.4","5.6.7.8"],"ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}""");
        Assert.Equal(["NodePort", "10.96.0.3", "1.2.3.4,5.6.7.8", "80:30080/TCP"], cells.Skip(1).Take(4));
    }

    [Fact]
    public void LoadBalancer_WithoutIngress_IsPending() =>
        Assert.Equal("<pending>", Svc("""{"type":"LoadBalancer","ports":[{"port":443,"nodePort":31443}]}""")[3]);

    [Fact]
    public void LoadBalancer_IngressSortedThenExternalIPs() =>
        Assert.Equal("10.0.0.2,a.example.com,9.9.9.9",
            Svc("""{"type":"LoadBalancer","externalIPs":["9.9.9.9"]}""",
                """{"loadBalancer":{"ingress":[{"ip":"10.0.0.2"},{"hostname":"a.example.com"},{"ip":"10.0.0.2"}]}}""")[3]);

    [Fact]
    public void ExternalName_PrintsNameAndNoneForPortsAndClusterIP()
    {
        var cells = Svc("""{"type":"ExternalName","externalName":"db.example.com"}""");
        Assert.Equal(["ExternalName", "<none>", "db.example.com", "<none>"], cells.Skip(1).Take(4));
        Assert.Equal("<none>", cells[6]);
    }
}

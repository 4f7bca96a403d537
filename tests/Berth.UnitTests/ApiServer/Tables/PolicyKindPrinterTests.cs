using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>PriorityClasses, Ingresses, IngressClasses, NetworkPolicies, LimitRanges and ResourceQuotas.</summary>
public sealed class PolicyKindPrinterTests
{
    [Fact]
    public void PriorityClass_ValueDefaultAgeAndPolicy()
    {
        Assert.Equal(["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"], TablePrinters.For(KindRegistry.PriorityClasses).Columns.Select(c => c.Name));
        Assert.Equal(["high", 1000L, true, "2m", "Never"],
            Cells(KindRegistry.PriorityClasses, """{"metadata":{"name":"high","creationTimestamp":"ago:120"},"value":1000,"globalDefault":true,"preemptionPolicy":"Never"}"""));
        Assert.Equal(false, Cell(KindRegistry.PriorityClasses, """{"metadata":{"name":"low"},"value":0}""", "Global-Default"));
    }

    [Fact]
    public void Ingress_ClassHostsAddressPorts()
    {
        Assert.Equal(["web", "<none>", "*", "", "80", "5s"],
            Cells(KindRegistry.Ingresses, """{"metadata":{"name":"web","creationTimestamp":"ago:5"},"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}"""));
        Assert.Equal(["web", "nginx", "a.example,b.example,c.example + 1 more...", "10.0.0.2,lb.example", "80, 443", "5s"],
            Cells(KindRegistry.Ingresses, """
                {"metadata":{"name":"web","creationTimestamp":"ago:5"},
                 "spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example"]}],
                         "rules":[{"host":"a.example"},{"host":"b.example"},{},{"host":"c.example"},{"host":"d.example"}]},
                 "status":{"loadBalancer":{"ingress":[{"hostname":"lb.example"},{"ip":"10.0.0.2"},{"ip":"10.0.0.2"}]}}}
                """));
    }

    [Fact]
    public void IngressClass_ControllerAndParameters()
    {
        Assert.Equal(["nginx", "k8s.io/ingress-nginx", "<none>", "60s"],
            Cells(KindRegistry.IngressClasses, """{"metadata":{"name":"nginx","creationTimestamp":"ago:60"},"spec":{"controller":"k8s.io/ingress-nginx"}}"""));
        Assert.Equal("IngressParameters.k8s.example.com/params",
            Cell(KindRegistry.IngressClasses, """{"spec":{"parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"params"}}}""", "Parameters"));
        Assert.Equal("ConfigMap/cm", Cell(KindRegistry.IngressClasses, """{"spec":{"parameters":{"kind":"ConfigMap","name":"cm"}}}""", "Parameters"));
    }

    [Fact]
    public void NetworkPolicy_PodSelector()
    {
        Assert.Equal(["deny", "<none>", "3s"], Cells(KindRegistry.NetworkPolicies, """{"metadata":{"name":"deny","creationTimestamp":"ago:3"},"spec":{"podSelector":{}}}"""));
        Assert.Equal("app=web,tier in (a,b)", Cell(KindRegistry.NetworkPolicies,
            """{"spec":{"podSelector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]}]}}}""", "Pod-Selector"));
    }

    [Fact]
    public void LimitRange_DefaultTableNameAndCreatedAt() =>
        Assert.Equal(["Name", "Created At"], TablePrinters.For(KindRegistry.LimitRanges).Columns.Select(c => c.Name));

    [Fact]
    public void ResourceQuota_RequestAndLimitColumns()
    {
        Assert.Equal(["q", "pods: 1/10, requests.cpu: 500m/1, requests.memory: 0/1Gi", "limits.cpu: 1/2", "60m"],
            Cells(KindRegistry.ResourceQuotas, """
                {"metadata":{"name":"q","creationTimestamp":"ago:3600"},
                 "spec":{"hard":{"requests.memory":"1024Mi","pods":"10","requests.cpu":"1000m","limits.cpu":"2"}},
                 "status":{"used":{"pods":"1","requests.cpu":"500m","limits.cpu":"1"}}}
                """));
        Assert.Equal("", Cell(KindRegistry.ResourceQuotas, """{"spec":{"hard":{"pods":"1"}}}""", "Limit"));
    }
}

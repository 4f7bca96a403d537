using System.Net;
using Berth.Proxy;
using Berth.Proxy.Tracking;
using k8s.Models;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

/// <summary>A Service's external addresses (<c>spec.externalIPs</c>, a LoadBalancer's <c>status.loadBalancer.ingress</c>) are served like its NodePort.</summary>
[Trait("Category", "Process")]
public sealed class LoadBalancerIngressTests
{
    [Fact]
    public async Task IngressAddress_ServedOnTheServicePort_ClosedWhenTheIngressGoes()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        var clusterIP = NextClusterIP();
        var ingressIP = NextClusterIP();
        var service = LoadBalancer(clusterIP, ingressIP);
        await proxy.ApplyAsync(service, Slice("web", "web-1", Ready(backend.Address)));

        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ingressIP)));

        var previous = service;
        service = LoadBalancer(clusterIP, ingressIP);
        service.Status.LoadBalancer.Ingress = [];
        proxy.Proxier.OnServiceUpdate(previous, service);
        await proxy.Proxier.SyncAsync().DefaultTimeout();

        Assert.True(await ProxyClient.IsRefusedAsync(ProxierHarness.At(ingressIP)));
        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(clusterIP)));
    }

    [Fact]
    public async Task ExternalIPs_ServedOnTheServicePortForAnyType()
    {
        await using var backend = new TestBackend("a");
        await using var proxy = new ProxierHarness();
        var clusterIP = NextClusterIP();
        var externalIP = NextClusterIP();
        var service = Service("web", clusterIP);
        service.Spec.ExternalIPs = [externalIP.ToString(), "not-an-ip"];

        await proxy.ApplyAsync(service, Slice("web", "web-1", Ready(backend.Address)));

        Assert.Equal("a", await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(externalIP)));
        Assert.Equal([externalIP], ServicePorts.ExternalAddresses(service));
    }

    [Fact]
    public void LoadBalancerIPs_OnlyVipIPv4IngressOfALoadBalancer()
    {
        var service = LoadBalancer(IPAddress.Parse("127.96.0.5"), IPAddress.Parse("127.0.0.1"));
        service.Status.LoadBalancer.Ingress = [.. service.Status.LoadBalancer.Ingress,
            new V1LoadBalancerIngress { Ip = "127.0.0.2", IpMode = "Proxy" }, new V1LoadBalancerIngress { Hostname = "lb.example.com" }];

        Assert.Equal([IPAddress.Parse("127.0.0.1")], ServicePorts.LoadBalancerIPs(service));
        service.Spec.Type = "ClusterIP";
        Assert.Empty(ServicePorts.LoadBalancerIPs(service));
    }

    private static V1Service LoadBalancer(IPAddress clusterIP, IPAddress ingressIP)
    {
        var service = Service("web", clusterIP);
        service.Spec.Type = "LoadBalancer";
        service.Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = ingressIP.ToString(), IpMode = "VIP" }] },
        };
        return service;
    }
}

using System.Net;
using static Berth.E2ETests.Proxy.ProxyManifests;

namespace Berth.E2ETests.Proxy;

/// <summary>
/// <c>type: LoadBalancer</c> on the real server: the machine's load balancer gives the Service the server's address
/// (EXTERNAL-IP in <c>kubectl get svc</c>) and the proxy serves the Service port there.
/// </summary>
[Trait("Category", "E2E")]
[Collection(ProxyCollection.Name)]
public sealed class LoadBalancerServiceTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task LoadBalancerService_ExternalIPIsTheServerAddress_AndServesThePort()
    {
        var ns = await fixture.NewNamespaceAsync("lb");
        var port = ProxyServerFixture.FreeUdpAndTcpPort(IPAddress.Loopback);
        await K.OkAsync("apply -f -", NamePod(ns, "lb-0", "web"));
        await K.OkAsync($"wait --for=condition=Ready pod/lb-0 -n {ns} --timeout=30s");

        await K.OkAsync($"expose pod lb-0 -n {ns} --name=web --type=LoadBalancer --port={port} --target-port=8080");

        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.OkAsync($"get svc web -n {ns} -o jsonpath={{.status.loadBalancer.ingress[0].ip}}")).Trim() == "127.0.0.1",
            because: "the load balancer gave the service the server's address");
        var row = (await K.OkAsync($"get svc web -n {ns} --no-headers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["web", "LoadBalancer"], row[..2]);
        Assert.Equal("127.0.0.1", row[3]);
        Assert.StartsWith($"{port}:", row[4], StringComparison.Ordinal);
        await ProxyServerFixture.WaitForBackendsAsync(new IPEndPoint(IPAddress.Loopback, port), "lb-0");
        Assert.Contains("Ensured load balancer", await K.OkAsync($"describe svc web -n {ns}"), StringComparison.Ordinal);
    }
}

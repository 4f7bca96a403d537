using System.Net;

namespace Berth.E2ETests.Proxy;

/// <summary>
/// <c>hostPort</c> on the real server: the pod answers on the server's address at its host port (as the CNI portmap
/// plugin maps it), and a second pod asking for the same host port stays Pending with the scheduler's NodePorts reason.
/// </summary>
[Trait("Category", "E2E")]
[Collection(ProxyCollection.Name)]
public sealed class HostPortTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private static string HostPortPod(string ns, string name, int hostPort) => $$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"terminationGracePeriodSeconds":2,
          "containers":[{"name":"web","image":"python:3.12","command":["python3","-m","http.server","8080","--bind","$(POD_IP)"],
           "env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"} } }],
           "ports":[{"containerPort":8080,"hostPort":{{{hostPort}}} }] } ] } }
        """;

    [Fact]
    public async Task HostPort_ServedOnTheServerAddress_SecondPodOnThePortPending()
    {
        var ns = await fixture.NewNamespaceAsync("hostport");
        var hostPort = ProxyServerFixture.FreeUdpAndTcpPort(IPAddress.Loopback);
        await K.OkAsync("apply -f -", HostPortPod(ns, "first", hostPort));
        await K.OkAsync($"wait --for=condition=Ready pod/first -n {ns} --timeout=30s");

        await AsyncTestHelpers.WaitUntilAsync(async () => await RespondsAsync(hostPort), because: "the host port forwards to the pod");
        await K.OkAsync("apply -f -", HostPortPod(ns, "second", hostPort));

        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.OkAsync($"get events -n {ns} --field-selector involvedObject.name=second,reason=FailedScheduling -o jsonpath={{.items[*].message}}"))
                .Contains("1 node(s) didn't have free ports for the requested pod ports", StringComparison.Ordinal),
            because: "the scheduler's NodePorts filter refused the node");
        Assert.Equal("Pending", (await K.OkAsync($"get pod second -n {ns} -o jsonpath={{.status.phase}}")).Trim());
        await K.OkAsync($"delete pod first -n {ns} --wait=true --timeout=30s");
        await K.OkAsync($"wait --for=condition=Ready pod/second -n {ns} --timeout=60s");
    }

    private static async Task<bool> RespondsAsync(int port)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"))).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

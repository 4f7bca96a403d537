using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static Berth.E2ETests.Proxy.ProxyManifests;

namespace Berth.E2ETests.Proxy;

/// <summary>
/// Issue 4 §5 through the real server, real pods (python3 processes) and kubectl: traffic to a ClusterIP while pods
/// are replaced, long-lived connections, the KEP-1669 fallback (scenario 14 of kubernetes-termination.md §9),
/// refusal, dial retry, NodePort, session affinity and the /metrics endpoint.
/// </summary>
[Trait("Category", "E2E")]
[Collection(ProxyCollection.Name)]
public sealed class ServiceProxyTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private async Task<IPEndPoint> ServeAsync(string ns, string app, string type = "ClusterIP", string? affinity = null, params string[] pods)
    {
        await K.OkAsync("apply -f -", Service(ns, app, app, type, affinity));
        foreach (var pod in pods)
        {
            await K.OkAsync("apply -f -", NamePod(ns, pod, app));
        }
        var target = await fixture.ClusterAddressAsync(ns, app);
        await ProxyServerFixture.WaitForBackendsAsync(target, pods);
        return target;
    }

    [Fact]
    public async Task ReplaceUnderLoad_NewConnectionPerRequest_NoRequestFails()
    {
        var ns = await fixture.NewNamespaceAsync("replace");
        var target = await ServeAsync(ns, "web", pods: ["web-0", "web-1", "web-2"]);
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var served = new Dictionary<string, int>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var pod = await ServiceHttp.GetOnceAsync(target);
                    served[pod] = served.GetValueOrDefault(pod) + 1;
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
                {
                    failures.Add(ex.Message);
                }
            }
        });

        for (var i = 0; i < 3; i++)
        {
            await K.OkAsync($"delete pod web-{i} -n {ns} --wait=false");
            await K.OkAsync("apply -f -", NamePod(ns, $"new-{i}", "web"));
            await K.OkAsync($"wait --for=condition=Ready pod/new-{i} -n {ns} --timeout=20s");
            await K.OkAsync($"wait --for=delete pod/web-{i} -n {ns} --timeout=20s");
        }
        await ProxyServerFixture.WaitForBackendsAsync(target, "new-0", "new-1", "new-2");
        await stop.CancelAsync();
        await load;

        Assert.Empty(failures);
        Assert.True(served.Values.Sum() > 50, $"only {served.Values.Sum()} requests were sent");
        Assert.All(new[] { "new-0", "new-1", "new-2" }, pod => Assert.True(served.GetValueOrDefault(pod) > 0));
    }

    [Fact]
    public async Task LongLivedConnection_PodDeleted_KeepsWorkingUntilThePodExits()
    {
        var ns = await fixture.NewNamespaceAsync("longlived");
        await K.OkAsync("apply -f -", Service(ns, "web", "web"));
        await K.OkAsync("apply -f -", NamePod(ns, "old", "web", preStopSeconds: 6, grace: 15));
        var target = await fixture.ClusterAddressAsync(ns, "web");
        await ProxyServerFixture.WaitForBackendsAsync(target, "old");
        await using var connection = await ServiceHttp.ConnectAsync(target);
        Assert.Equal("old", await connection.GetAsync());
        await K.OkAsync("apply -f -", NamePod(ns, "new", "web"));
        await K.OkAsync($"wait --for=condition=Ready pod/new -n {ns} --timeout=20s");

        var deleted = Stopwatch.StartNew();
        await K.OkAsync($"delete pod old -n {ns} --wait=false");
        await AsyncTestHelpers.WaitUntilAsync(async () => await ServiceHttp.GetOnceAsync(target) == "new" &&
            await ServiceHttp.GetOnceAsync(target) == "new" && await ServiceHttp.GetOnceAsync(target) == "new",
            because: "new connections no longer reach the terminating pod");

        Assert.Equal("old", await connection.GetAsync());
        Assert.True(deleted.Elapsed < TimeSpan.FromSeconds(6), $"the check ran inside the preStop window ({deleted.Elapsed})");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                await connection.GetAsync();
                return false;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                return true;
            }
        }, timeout: TimeSpan.FromSeconds(20), because: "the connection ends when the old pod exits");
        Assert.True(deleted.Elapsed >= TimeSpan.FromSeconds(5.5), $"the connection lived through the preStop sleep ({deleted.Elapsed})");
    }

    [Fact]
    public async Task OnlyTerminatingBackend_RoutedUntilNotServing_ThenRefused_ThenFreshPodWins()
    {
        var ns = await fixture.NewNamespaceAsync("fallback");
        var unready = Path.Combine(Path.GetTempPath(), $"berth-e2e-unready-{ns}");
        File.Delete(unready);
        await K.OkAsync("apply -f -", Service(ns, "web", "web"));
        await K.OkAsync("apply -f -", NamePod(ns, "old", "web", preStopSeconds: 20, grace: 30, unreadyFile: unready));
        var target = await fixture.ClusterAddressAsync(ns, "web");
        await ProxyServerFixture.WaitForBackendsAsync(target, "old");

        await K.OkAsync($"delete pod old -n {ns} --wait=false");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.OkAsync($"get endpointslices -n {ns} -o jsonpath={{.items[*].endpoints[*].conditions.terminating}}")).Contains("true"),
            because: "the endpoint turned terminating");
        Assert.Equal("old", await ServiceHttp.GetOnceAsync(target));

        await File.WriteAllTextAsync(unready, "unready");
        try
        {
            await AsyncTestHelpers.WaitUntilAsync(async () =>
            {
                try
                {
                    await ServiceHttp.GetOnceAsync(target);
                    return false;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    return true;
                }
                catch (Exception ex) when (ex is SocketException or IOException)
                {
                    // A connection accepted just before the listener closed is reset: keep waiting for the refusal.
                    return false;
                }
            }, because: "no serving endpoint is left, so the ClusterIP refuses");

            await K.OkAsync("apply -f -", NamePod(ns, "fresh", "web"));
            await ProxyServerFixture.WaitForBackendsAsync(target, "fresh");
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("fresh", await ServiceHttp.GetOnceAsync(target));
            }
        }
        finally
        {
            File.Delete(unready);
            await K.RunAsync($"delete pod old -n {ns} --grace-period=1 --wait=false");
        }
    }

    [Fact]
    public async Task ServiceWithoutEndpoints_Refused_ThenOpensWhenAPodIsReady()
    {
        var ns = await fixture.NewNamespaceAsync("refuse");
        await K.OkAsync("apply -f -", Service(ns, "web", "web"));
        var target = await fixture.ClusterAddressAsync(ns, "web");

        var refused = await Assert.ThrowsAsync<SocketException>(() => ServiceHttp.GetOnceAsync(target));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        await K.OkAsync("apply -f -", NamePod(ns, "late", "web"));
        await ProxyServerFixture.WaitForBackendsAsync(target, "late");
    }

    [Fact]
    public async Task ReadyEndpointRefusingDials_ProxyRetriesAnotherAndCountsDialFailures()
    {
        var ns = await fixture.NewNamespaceAsync("retry");
        await K.OkAsync("apply -f -", Service(ns, "web", "web"));
        await K.OkAsync("apply -f -", NamePod(ns, "mute", "web", listen: false));
        await K.OkAsync($"wait --for=condition=Ready pod/mute -n {ns} --timeout=20s");
        await K.OkAsync("apply -f -", NamePod(ns, "live", "web"));
        var target = await fixture.ClusterAddressAsync(ns, "web");
        await ProxyServerFixture.WaitForBackendsAsync(target, "live");

        // In the default (ebpf) mode the kernel picks a slot at random and skips the mute pod for want of a listener,
        // counting a dial failure each time it picks it first: 12 connects miss it with p = 1/4096.
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal("live", await ServiceHttp.GetOnceAsync(target));
        }

        var muteIP = (await K.OkAsync($"get pod mute -n {ns} -o jsonpath={{.status.podIP}}")).Trim();
        var metrics = await K.OkAsync("get --raw /metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("berth_proxy_endpoint_dial_failures_total", StringComparison.Ordinal)
            && l.Contains($"namespace=\"{ns}\"", StringComparison.Ordinal) && l.Contains($"endpoint=\"{muteIP}:8080\"", StringComparison.Ordinal));
        Assert.True(double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 1, line);
    }

    [Fact]
    public async Task NodePortService_ReachableOnTheServerAddress()
    {
        var ns = await fixture.NewNamespaceAsync("nodeport");
        await ServeAsync(ns, "web", "NodePort", pods: ["np-0"]);
        var nodePort = int.Parse((await K.OkAsync($"get svc web -n {ns} -o jsonpath={{.spec.ports[0].nodePort}}")).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(nodePort, 30000, 32767);
        Assert.Equal("np-0", await ServiceHttp.GetOnceAsync(new IPEndPoint(IPAddress.Loopback, nodePort)));
    }

    [Fact]
    public async Task ClientIPAffinity_NewConnectionsStickToOnePod()
    {
        var ns = await fixture.NewNamespaceAsync("sticky");
        await K.OkAsync("apply -f -", Service(ns, "web", "web"));
        await K.OkAsync("apply -f -", NamePod(ns, "a", "web"));
        await K.OkAsync("apply -f -", NamePod(ns, "b", "web"));
        var target = await fixture.ClusterAddressAsync(ns, "web");
        await ProxyServerFixture.WaitForBackendsAsync(target, "a", "b");
        await K.OkAsync("apply -f -", Service(ns, "web", "web", affinity: "ClientIP"));
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.OkAsync($"get svc web -n {ns} -o jsonpath={{.spec.sessionAffinity}}")).Trim() == "ClientIP");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var kernel = await KernelConnectsAsync(ns);
            var one = await ServiceHttp.GetOnceAsync(target);
            return await ServiceHttp.GetOnceAsync(target) == one && await ServiceHttp.GetOnceAsync(target) == one
                && await KernelConnectsAsync(ns) == kernel;
        }, because: "the proxy applied the affinity (user-space round-robin never repeats a pod of two; the kernel path, whose "
            + "random pick may, no longer routes the port once it has ClientIP affinity)");

        var first = await ServiceHttp.GetOnceAsync(target);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(first, await ServiceHttp.GetOnceAsync(target));
        }

        var metrics = await K.OkAsync("get --raw /metrics");
        Assert.Contains($"berth_proxy_endpoint_connections_total{{namespace=\"{ns}\",service=\"web\",port=\"http\"", metrics, StringComparison.Ordinal);
    }

    /// <summary>Connects the kernel path (default ebpf mode) routed to <paramref name="ns"/>'s endpoints so far; 0 in user-space mode.</summary>
    private async Task<double> KernelConnectsAsync(string ns) =>
        (await K.OkAsync("get --raw /metrics")).Split('\n')
            .Where(l => l.StartsWith("berth_proxy_endpoint_kernel_connections_total{", StringComparison.Ordinal)
                && l.Contains($"namespace=\"{ns}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
}

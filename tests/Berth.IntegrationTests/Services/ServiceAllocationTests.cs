using System.Net;
using Berth.Server.Options;
using k8s.Autorest;
using k8s.Models;

namespace Berth.IntegrationTests.Services;

/// <summary>Cluster IP and node port allocation through the official client, across a restart, and the kubernetes Service.</summary>
public sealed class ServiceAllocationTests
{
    private static V1Service Service(string name, string? clusterIP = null, string type = "ClusterIP", int? nodePort = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIP,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Port = 80, NodePort = nodePort }],
        },
    };

    private static async Task<V1Status> StatusOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(e.Response.Content);
    }

    [Fact]
    public async Task Create_RequestedIPTaken_422WithFieldPath()
    {
        await using var host = await TestServerHost.StartAsync(UpstreamLikeRanges);
        using var client = host.CreateKubernetesClient();
        var first = await client.CoreV1.CreateNamespacedServiceAsync(Service("a", "127.96.0.5"), "default").DefaultTimeout();
        Assert.Equal("127.96.0.5", first.Spec.ClusterIP);
        var status = await StatusOf(() => client.CoreV1.CreateNamespacedServiceAsync(Service("b", "127.96.0.5"), "default"));
        Assert.Equal("Invalid", status.Reason);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("spec.clusterIPs", cause.Field);
        Assert.Equal("Invalid value: []string{\"127.96.0.5\"}: failed to allocate IP 127.96.0.5: provided IP is already allocated", cause.Message);
        var outside = await StatusOf(() => client.CoreV1.CreateNamespacedServiceAsync(Service("c", "10.0.0.1"), "default"));
        Assert.Contains("failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 127.96.0.0/16", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NodePortTaken_422WithPortPath()
    {
        await using var host = await TestServerHost.StartAsync(UpstreamLikeRanges);
        using var client = host.CreateKubernetesClient();
        var first = await client.CoreV1.CreateNamespacedServiceAsync(Service("np", type: "NodePort", nodePort: 30080), "default").DefaultTimeout();
        Assert.Equal(30080, first.Spec.Ports[0].NodePort);
        var status = await StatusOf(() => client.CoreV1.CreateNamespacedServiceAsync(Service("np2", type: "NodePort", nodePort: 30080), "default"));
        Assert.Equal("spec.ports[0].nodePort", status.Details.Causes[0].Field);
        Assert.Equal("Invalid value: 30080: provided port is already allocated", status.Details.Causes[0].Message);
        var dynamic = await client.CoreV1.CreateNamespacedServiceAsync(Service("np3", type: "NodePort"), "default").DefaultTimeout();
        Assert.InRange(dynamic.Spec.Ports[0].NodePort!.Value, 30000, 32767);
    }

    [Fact]
    public async Task Restart_SameDataDir_KeepsAllocations()
    {
        var dir = Directory.CreateTempSubdirectory("berth-svc-restart-").FullName;
        try
        {
            string ip;
            await using (var first = await TestServerHost.StartAsync(o => o with { DataDir = dir, Store = StoreBackend.Sqlite }))
            {
                using var client = first.CreateKubernetesClient();
                ip = (await client.CoreV1.CreateNamespacedServiceAsync(Service("keep", type: "NodePort", nodePort: 30123), "default").DefaultTimeout()).Spec.ClusterIP;
            }
            await using var second = await TestServerHost.StartAsync(o => o with { DataDir = dir, Store = StoreBackend.Sqlite });
            using var again = second.CreateKubernetesClient();
            Assert.Equal(ip, (await again.CoreV1.ReadNamespacedServiceAsync("keep", "default").DefaultTimeout()).Spec.ClusterIP);
            var status = await StatusOf(() => again.CoreV1.CreateNamespacedServiceAsync(Service("dup", ip), "default"));
            Assert.Equal("spec.clusterIPs", status.Details.Causes[0].Field);
            await StatusOf(() => again.CoreV1.CreateNamespacedServiceAsync(Service("dup2", type: "NodePort", nodePort: 30123), "default"));
            await again.CoreV1.DeleteNamespacedServiceAsync("keep", "default").DefaultTimeout();
            var reused = await again.CoreV1.CreateNamespacedServiceAsync(Service("reuse", ip), "default").DefaultTimeout();
            Assert.Equal(ip, reused.Spec.ClusterIP);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Start_KubernetesServicePointsAtApiServer()
    {
        await using var host = await TestServerHost.StartAsync(UpstreamLikeRanges);
        using var client = host.CreateKubernetesClient();
        V1Endpoints? endpoints = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                endpoints = await client.CoreV1.ReadNamespacedEndpointsAsync("kubernetes", "default");
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        });
        var svc = await client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default").DefaultTimeout();
        Assert.Equal("127.96.0.1", svc.Spec.ClusterIP);
        Assert.Equal(443, svc.Spec.Ports[0].Port);
        Assert.Equal(host.BaseAddress.Port, endpoints!.Subsets[0].Ports[0].Port);
        Assert.Equal(host.BaseAddress.Host, endpoints.Subsets[0].Addresses[0].Ip);
    }

    [Fact]
    public async Task Start_ServiceRangeOverlapsPods_Refused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => TestServerHost.StartAsync(o => o with { ServiceClusterIPRange = "127.1.0.0/24", ClusterCidr = "127.1.0.0/16" }));
        Assert.Contains("overlaps the pod range", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The server's default ranges (test hosts otherwise get private ones), which these assertions name.</summary>
    private static Berth.Server.Options.ServerOptions UpstreamLikeRanges(Berth.Server.Options.ServerOptions o) =>
        o with { ServiceClusterIPRange = "127.96.0.0/16", ClusterCidr = "127.1.0.0/16" };
}

using System.Net;
using Berth.Proxy;
using k8s.Models;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

/// <summary><c>internalTrafficPolicy: Local</c> through the proxy core: ClusterIP traffic stays on the proxy's node, NodePort traffic does not.</summary>
[Trait("Category", "Process")]
public sealed class TrafficPolicyTests
{
    private const int NodePort = 30080;

    [Fact]
    public async Task InternalLocal_ClusterIPUsesThisNodesEndpoints_NodePortUsesAll_RefusedWithoutALocalOne()
    {
        await using var here = new TestBackend("here");
        await using var there = new TestBackend("there");
        var nodeAddress = NextClusterIP();
        await using var proxy = new ProxierHarness(new ProxyOptions { NodePortAddress = nodeAddress, NodeName = "node-a" });
        var ip = NextClusterIP();
        var service = Service("web", ip);
        service.Spec.InternalTrafficPolicy = "Local";
        service.Spec.Ports[0].NodePort = NodePort;
        await proxy.ApplyAsync(service, OnNodes(Ready(here.Address), Ready(there.Address)));

        var viaClusterIP = new HashSet<string>();
        var viaNodePort = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            viaClusterIP.Add(await ProxyClient.BackendOfNewConnectionAsync(ProxierHarness.At(ip)));
            viaNodePort.Add(await ProxyClient.BackendOfNewConnectionAsync(new IPEndPoint(nodeAddress, NodePort)));
        }

        Assert.Equal(["here"], viaClusterIP);
        Assert.Equal(["here", "there"], viaNodePort.Order());

        await proxy.ApplyAsync(slices: OnNodes(Terminating(here.Address, serving: false), Ready(there.Address)));

        Assert.True(await ProxyClient.IsRefusedAsync(ProxierHarness.At(ip)));
        Assert.Equal("there", await ProxyClient.BackendOfNewConnectionAsync(new IPEndPoint(nodeAddress, NodePort)));
    }

    /// <summary>The slice "web-1" with the first endpoint on node-a (the proxy's) and the others on node-b.</summary>
    private static V1EndpointSlice OnNodes(params (IPEndPoint, bool, bool, bool)[] endpoints)
    {
        var slice = Slice("web", "web-1", endpoints);
        for (var i = 0; i < slice.Endpoints.Count; i++)
        {
            slice.Endpoints[i].NodeName = i == 0 ? "node-a" : "node-b";
        }
        return slice;
    }
}

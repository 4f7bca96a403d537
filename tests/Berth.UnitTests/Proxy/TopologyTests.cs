using System.Collections.Immutable;
using System.Net;
using Berth.Proxy.Model;

namespace Berth.UnitTests.Proxy;

public sealed class TopologyTests
{
    private static EndpointInfo Endpoint(int n, bool ready, bool serving, bool terminating) =>
        new(new IPEndPoint(IPAddress.Parse($"127.0.0.{n}"), 80), ready, serving, terminating);

    [Fact]
    public void CategorizeEndpoints_SomeReady_UsesOnlyReady()
    {
        var (usable, fallback) = Topology.CategorizeEndpoints([Endpoint(1, true, true, false), Endpoint(2, false, true, true)]);

        Assert.Equal([1], usable.Select(e => (int)e.Address.Address.GetAddressBytes()[3]));
        Assert.False(fallback);
    }

    [Fact]
    public void CategorizeEndpoints_NoneReady_FallsBackToServingTerminating()
    {
        var (usable, fallback) = Topology.CategorizeEndpoints(
            [Endpoint(1, false, true, true), Endpoint(2, false, false, true), Endpoint(3, false, true, false)]);

        Assert.Equal([1], usable.Select(e => (int)e.Address.Address.GetAddressBytes()[3]));
        Assert.True(fallback);
    }

    [Fact]
    public void CategorizeEndpoints_NothingServing_ReturnsEmpty()
    {
        var (usable, fallback) = Topology.CategorizeEndpoints([Endpoint(1, false, false, true)]);

        Assert.True(usable.IsEmpty);
        Assert.False(fallback);
    }

    [Fact]
    public void CategorizeEndpoints_Empty_ReturnsEmpty() =>
        Assert.True(Topology.CategorizeEndpoints(ImmutableArray<EndpointInfo>.Empty).Usable.IsEmpty);

    private static EndpointInfo On(string node, int n, bool ready, bool serving = true, bool terminating = false) =>
        new(new IPEndPoint(IPAddress.Parse($"127.0.0.{n}"), 80), ready, serving, terminating, node);

    private static int[] Octets(ImmutableArray<EndpointInfo> endpoints) => [.. endpoints.Select(e => (int)e.Address.Address.GetAddressBytes()[3])];

    [Fact]
    public void CategorizeLocalEndpoints_LocalReady_OnlyThoseOfThisNode()
    {
        var (usable, fallback) = Topology.CategorizeLocalEndpoints(
            [On("here", 1, true), On("there", 2, true), On("here", 3, false, terminating: true)], "here");

        Assert.Equal([1], Octets(usable));
        Assert.False(fallback);
    }

    [Fact]
    public void CategorizeLocalEndpoints_NoLocalReady_LocalServingTerminatingNotOtherNodes()
    {
        var (usable, fallback) = Topology.CategorizeLocalEndpoints(
            [On("here", 1, false, terminating: true), On("there", 2, true)], "here");

        Assert.Equal([1], Octets(usable));
        Assert.True(fallback);
    }

    [Fact]
    public void CategorizeLocalEndpoints_NoLocalEndpointOrNoNodeName_Empty()
    {
        ImmutableArray<EndpointInfo> endpoints = [On("there", 2, true), Endpoint(3, true, true, false)];

        Assert.True(Topology.CategorizeLocalEndpoints(endpoints, "here").Usable.IsEmpty);
        Assert.True(Topology.CategorizeLocalEndpoints(endpoints, null).Usable.IsEmpty);
    }
}

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
}

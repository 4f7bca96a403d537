using System.Collections.Immutable;
using System.Net;
using Berth.Proxy.Affinity;
using Berth.Proxy.LoadBalancing;
using Berth.Proxy.Metrics;
using Berth.Proxy.Model;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Proxy;

public sealed class LoadBalancingTests
{
    private static readonly ServicePortName Name = new("default", "web", "http");

    private static ServicePortState Port(int count, bool affinity = false)
    {
        var stats = new EndpointStatsRegistry();
        var endpoints = Enumerable.Range(1, count).Select(i => new IPEndPoint(IPAddress.Parse($"127.0.0.{i}"), 80)).ToList();
        var info = new ServicePortInfo(Name, IPAddress.Parse("127.96.0.1"), 80, 0, affinity, TimeSpan.FromSeconds(10));
        return new ServicePortState(info, endpoints.Select(e => new EndpointInfo(e, true, true, false)).ToImmutableArray(),
            endpoints.Select(e => new ProxyEndpoint(e, stats.GetOrAdd(Name, e))).ToImmutableArray(), false);
    }

    [Fact]
    public void Pick_RoundRobin_CyclesThroughEndpoints()
    {
        var port = Port(3);
        var policy = new RoundRobinPolicy();

        Assert.Equal([0, 1, 2, 0], Enumerable.Range(0, 4).Select(_ => policy.Pick(port)));
    }

    [Fact]
    public void Pick_LeastConnections_PrefersIdleEndpoint()
    {
        var port = Port(3);
        port.Usable[0].Stats.ConnectionOpened();
        port.Usable[1].Stats.ConnectionOpened();
        var policy = new LeastConnectionsPolicy();

        Assert.Equal(2, policy.Pick(port));
        Assert.Equal(2, policy.Pick(port));
    }

    [Fact]
    public void Lookup_WithinTimeout_ReturnsStickyEndpointThenExpires()
    {
        var time = new FakeTimeProvider();
        var table = new SessionAffinityTable(time);
        var port = Port(3, affinity: true);
        var client = IPAddress.Parse("127.0.0.1");
        table.Record(Name, client, port.Usable[2].Address);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(2, table.Lookup(port, client));

        table.Record(Name, client, port.Usable[2].Address);
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(-1, table.Lookup(port, client));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Lookup_StickyEndpointGone_ReturnsMinusOne()
    {
        var table = new SessionAffinityTable(new FakeTimeProvider());
        var client = IPAddress.Parse("127.0.0.1");
        table.Record(Name, client, new IPEndPoint(IPAddress.Parse("127.0.0.9"), 80));

        Assert.Equal(-1, table.Lookup(Port(3, affinity: true), client));
    }
}

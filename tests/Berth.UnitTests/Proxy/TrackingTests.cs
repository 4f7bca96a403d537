using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Model;
using Berth.Proxy.Tracking;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Proxy.ProxyTestObjects;

namespace Berth.UnitTests.Proxy;

public sealed class TrackingTests
{
    private static readonly IPEndPoint A = new(IPAddress.Parse("127.0.0.2"), 8080);
    private static readonly IPEndPoint B = new(IPAddress.Parse("127.0.0.3"), 8080);

    [Fact]
    public void FromService_HeadlessOrExternalName_NotProxied()
    {
        var headless = Service("h", null);
        var external = Service("e", IPAddress.Parse("127.96.0.9"));
        external.Spec.Type = "ExternalName";

        Assert.Empty(ServicePorts.FromService(headless));
        Assert.Empty(ServicePorts.FromService(external));
    }

    [Fact]
    public void FromService_UdpSctpAndAffinityDefaults_KeepsUdpSkipsSctpAndUses10800Seconds()
    {
        var service = Service("s", IPAddress.Parse("127.96.0.9"),
            new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }, new V1ServicePort { Name = "http", Port = 80 },
            new V1ServicePort { Name = "sig", Port = 9, Protocol = "SCTP" });
        service.Spec.SessionAffinity = "ClientIP";

        var ports = ServicePorts.FromService(service);

        Assert.Equal([(new ServicePortName("default", "s", "dns"), ProtocolType.Udp), (new ServicePortName("default", "s", "http"), ProtocolType.Tcp)],
            ports.Select(p => (p.Name, p.Protocol)));
        Assert.All(ports, p => Assert.True(p.ClientIPAffinity));
        Assert.All(ports, p => Assert.Equal(TimeSpan.FromSeconds(10800), p.StickyMaxAge));
    }

    [Fact]
    public void FromService_InternalTrafficPolicyLocal_MarksEveryPort()
    {
        var service = Service("s", IPAddress.Parse("127.96.0.9"));
        service.Spec.InternalTrafficPolicy = "Local";

        Assert.True(Assert.Single(ServicePorts.FromService(service)).InternalLocal);
        service.Spec.InternalTrafficPolicy = "Cluster";
        Assert.False(Assert.Single(ServicePorts.FromService(service)).InternalLocal);
    }

    [Fact]
    public void EndpointsFor_EndpointNodeName_Kept()
    {
        var cache = new EndpointSliceCache();
        var key = new ServiceKey("default", "web");
        var slice = Slice("web", "a", Ready(A));
        slice.Endpoints[0].NodeName = "node-b";
        cache.Update(key, slice, removed: false);

        Assert.Equal("node-b", Assert.Single(cache.EndpointsFor(key)["http"]).NodeName);
    }

    [Fact]
    public void EndpointsFor_UdpAndSctpSlicePorts_KeepsUdpOnly()
    {
        var cache = new EndpointSliceCache();
        var key = new ServiceKey("default", "web");
        var slice = Slice("web", "a", Ready(A));
        slice.Ports = [new Discoveryv1EndpointPort { Name = "dns", Port = 53, Protocol = "UDP" }, new Discoveryv1EndpointPort { Name = "sig", Port = 9, Protocol = "SCTP" }];
        cache.Update(key, slice, removed: false);

        var endpoints = cache.EndpointsFor(key);

        Assert.Equal(["dns"], endpoints.Keys);
        Assert.Equal(53, Assert.Single(endpoints["dns"]).Address.Port);
    }

    [Fact]
    public void EndpointsFor_DuplicateAcrossSlices_KeepsReadyCopy()
    {
        var cache = new EndpointSliceCache();
        var key = new ServiceKey("default", "web");
        cache.Update(key, Slice("web", "a", Terminating(A)), removed: false);
        cache.Update(key, Slice("web", "b", Ready(A), Ready(B)), removed: false);

        var endpoints = cache.EndpointsFor(key)["http"];

        Assert.Equal(2, endpoints.Length);
        Assert.All(endpoints, e => Assert.True(e.Ready));
    }

    [Fact]
    public void EndpointsFor_MissingConditions_ReadyServingNotTerminating()
    {
        var cache = new EndpointSliceCache();
        var key = new ServiceKey("default", "web");
        var slice = Slice("web", "a", Ready(A));
        slice.Endpoints[0].Conditions = null;
        cache.Update(key, slice, removed: false);

        var endpoint = Assert.Single(cache.EndpointsFor(key)["http"]);

        Assert.Equal(new EndpointInfo(A, true, true, false), endpoint);
    }

    [Fact]
    public void EndpointSliceUpdate_RemovedSlice_DropsItsEndpoints()
    {
        var tracker = new EndpointsChangeTracker(new FakeTimeProvider());
        tracker.EndpointSliceUpdate(Slice("web", "a", Ready(A)), removed: false);
        tracker.EndpointSliceUpdate(Slice("web", "b", Ready(B)), removed: false);
        tracker.Checkout();

        tracker.EndpointSliceUpdate(Slice("web", "a", Ready(A)), removed: true);
        var change = Assert.Single(tracker.Checkout()).Value;

        Assert.Equal([B], change.Endpoints["http"].Select(e => e.Address));
    }

    [Fact]
    public void EndpointSliceUpdate_NoServiceLabel_Ignored()
    {
        var tracker = new EndpointsChangeTracker(new FakeTimeProvider());
        var slice = Slice("web", "a", Ready(A));
        slice.Metadata.Labels.Clear();

        Assert.False(tracker.EndpointSliceUpdate(slice, removed: false));
        Assert.Empty(tracker.Checkout());
    }

    [Fact]
    public void Checkout_TwoChangesOfOneService_KeepsFirstObservedTime()
    {
        var time = new FakeTimeProvider();
        var tracker = new EndpointsChangeTracker(time);
        tracker.EndpointSliceUpdate(Slice("web", "a", Ready(A)), removed: false);
        var first = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(5));
        tracker.EndpointSliceUpdate(Slice("web", "a", Ready(B)), removed: false);

        var change = Assert.Single(tracker.Checkout()).Value;

        Assert.Equal(first, change.ObservedTimestamp);
    }
}

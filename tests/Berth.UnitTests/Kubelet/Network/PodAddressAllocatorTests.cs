using System.Net;
using System.Net.Sockets;
using Berth.Kubelet.Network;
using Berth.UnitTests.Server;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Berth.UnitTests.Kubelet.Network;

public sealed class PodAddressAllocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PodAddressAllocator Create(string cidr = "127.1.0.0/16") =>
        new(new PodNetworkOptions { PodCidr = cidr, StateDirectory = _dir.Path }, NullLogger<PodAddressAllocator>.Instance);

    [Fact]
    public void AllocatePodIP_ManyPods_DistinctAddressesInRange()
    {
        var allocator = Create();

        var ips = Enumerable.Range(0, 600).Select(i => allocator.AllocatePodIP($"uid-{i}")).ToList();

        Assert.Equal(600, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("127.1.", ip, StringComparison.Ordinal));
        Assert.DoesNotContain(ips, ip => ip.EndsWith(".0", StringComparison.Ordinal) || ip.EndsWith(".255", StringComparison.Ordinal));
        Assert.Equal("127.1.0.2", ips[0]);
        Assert.Equal("127.1.1.1", ips[253]);
        Assert.Equal("127.0.0.1", allocator.HostIP);
    }

    [Fact]
    public void AllocatePodIP_SameUid_ReturnsSameAddress()
    {
        var allocator = Create();

        var first = allocator.AllocatePodIP("a");
        allocator.AllocatePodIP("b");

        Assert.Equal(first, allocator.AllocatePodIP("a"));
    }

    [Fact]
    public void ReleasePodIP_ThenAllocate_ContinuesAfterLastInsteadOfReusing()
    {
        var allocator = Create();
        var a = allocator.AllocatePodIP("a");
        allocator.AllocatePodIP("b");

        allocator.ReleasePodIP("a");
        allocator.ReleasePodIP("a");
        allocator.ReleasePodIP("unknown");
        var c = allocator.AllocatePodIP("c");

        Assert.NotEqual(a, c);
        Assert.Equal("127.1.0.4", c);
        Assert.False(allocator.Allocations.ContainsKey("a"));
    }

    [Fact]
    public void AllocatePodIP_RangeExhausted_ThrowsAndReusesReleasedAddresses()
    {
        var allocator = Create("127.5.0.0/29");

        var ips = Enumerable.Range(0, 5).Select(i => allocator.AllocatePodIP($"p{i}")).ToList();
        var ex = Assert.Throws<InvalidOperationException>(() => allocator.AllocatePodIP("p5"));
        allocator.ReleasePodIP("p2");

        Assert.Equal(["127.5.0.2", "127.5.0.3", "127.5.0.4", "127.5.0.5", "127.5.0.6"], ips);
        Assert.Equal("no IP addresses available in range set: 127.5.0.0/29", ex.Message);
        Assert.Equal("127.5.0.4", allocator.AllocatePodIP("p5"));
    }

    [Fact]
    public void AllocatePodIP_RangeContainingNodeAddress_NeverHandsOutNodeAddress()
    {
        var allocator = Create("127.0.0.0/29");

        var ips = Enumerable.Range(0, 5).Select(i => allocator.AllocatePodIP($"p{i}")).ToList();

        Assert.DoesNotContain("127.0.0.1", ips);
        Assert.Equal("127.0.0.2", ips[0]);
        Assert.Equal(5, ips.Distinct().Count());
    }

    [Fact]
    public void Constructor_AfterRestart_KeepsAllocationsAndCursor()
    {
        var before = Create();
        var a = before.AllocatePodIP("a");
        var b = before.AllocatePodIP("b");
        before.ReleasePodIP("b");

        var after = Create();

        Assert.Equal(a, after.AllocatePodIP("a"));
        Assert.NotEqual(b, after.AllocatePodIP("c"));
        Assert.Equal(["a", "c"], after.Allocations.Keys.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir.Path, PodAddressStateFile.FileName)));
    }

    [Fact]
    public void Constructor_RangeChanged_DropsAllocationsOutsideNewRangeWithWarning()
    {
        Create().AllocatePodIP("a");
        var logger = new FakeLogger<PodAddressAllocator>();

        var after = new PodAddressAllocator(new PodNetworkOptions { PodCidr = "127.2.0.0/16", StateDirectory = _dir.Path }, logger);

        Assert.Empty(after.Allocations);
        Assert.Equal("127.2.0.2", after.AllocatePodIP("a"));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 5702);
    }

    [Fact]
    public void ReleaseAllExcept_StalePods_ReleasesOnlyThose()
    {
        var allocator = Create();
        allocator.AllocatePodIP("live");
        allocator.AllocatePodIP("gone");

        var released = allocator.ReleaseAllExcept(new HashSet<string> { "live" });

        Assert.Equal(["gone"], released);
        Assert.Equal(["live"], allocator.Allocations.Keys);
    }

    [Theory]
    [InlineData("10.0.0.0/16", "127.0.0.0/8")]
    [InlineData("127.1.0.0/31", "between 8 and 30")]
    [InlineData("127.1.0.0", "IPv4 CIDR")]
    [InlineData("::1/128", "IPv4 CIDR")]
    public void Constructor_BadCidr_Throws(string cidr, string fragment)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(cidr));

        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocatePodIP_ConcurrentCallers_AllDistinct()
    {
        var allocator = Create();

        var ips = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => allocator.AllocatePodIP($"c{i}")))).DefaultTimeout();

        Assert.Equal(64, ips.Distinct().Count());
        Assert.Equal(64, Create().Allocations.Count);
    }

    [Fact]
    [Trait("Category", "Process")]
    public async Task AllocatePodIP_Address_CanBeBoundAndReachedOnLoopback()
    {
        var allocator = Create("127.77.0.0/16");
        var ip = IPAddress.Parse(allocator.AllocatePodIP("bind-test"));
        using var listener = new TcpListener(ip, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var client = new TcpClient();
        await client.ConnectAsync(ip, port).DefaultTimeout();
        using var accepted = await listener.AcceptTcpClientAsync().DefaultTimeout();

        Assert.Equal(ip, ((IPEndPoint)accepted.Client.LocalEndPoint!).Address);
        listener.Stop();
    }

    private PodAddressAllocator CreateFromNode(FakeLogger<PodAddressAllocator>? logger = null) =>
        new(new PodNetworkOptions { FromNodePodCidr = true, StateDirectory = _dir.Path },
            logger ?? (Microsoft.Extensions.Logging.ILogger<PodAddressAllocator>)NullLogger<PodAddressAllocator>.Instance);

    [Fact]
    public void AllocatePodIP_NodeRangeNotAssignedYet_NetworkNotReady()
    {
        var allocator = CreateFromNode();

        var ex = Assert.Throws<InvalidOperationException>(() => allocator.AllocatePodIP("a"));

        Assert.Null(allocator.PodCidr);
        Assert.StartsWith("network is not ready", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetPodCidr_NodeSlash24_NeverNetworkGatewayOrBroadcast()
    {
        var allocator = CreateFromNode();

        Assert.True(allocator.SetPodCidr("127.1.3.0/24"));
        Assert.False(allocator.SetPodCidr("127.1.3.0/24"));
        var ips = Enumerable.Range(0, 253).Select(i => allocator.AllocatePodIP($"p{i}")).ToList();

        Assert.Equal("127.1.3.2", ips[0]);
        Assert.Equal("127.1.3.254", ips[^1]);
        Assert.Equal(253, ips.Distinct().Count());
        Assert.DoesNotContain(ips, ip => ip is "127.1.3.0" or "127.1.3.1" or "127.1.3.255");
        Assert.Throws<InvalidOperationException>(() => allocator.AllocatePodIP("one-too-many"));
    }

    [Fact]
    public void Constructor_NodeRangeAfterRestart_AdoptedPodKeepsAddressOnceRangeArrives()
    {
        var before = CreateFromNode();
        before.SetPodCidr("127.1.4.0/24");
        var a = before.AllocatePodIP("a");

        var after = CreateFromNode();

        Assert.Equal(a, after.AllocatePodIP("a"));
        after.SetPodCidr("127.1.4.0/24");
        Assert.Equal(a, after.AllocatePodIP("a"));
        Assert.NotEqual(a, after.AllocatePodIP("b"));
    }

    [Fact]
    public void SetPodCidr_DifferentRange_DropsOutsideAllocations()
    {
        var logger = new FakeLogger<PodAddressAllocator>();
        var allocator = CreateFromNode(logger);
        allocator.SetPodCidr("127.1.5.0/24");
        allocator.AllocatePodIP("a");

        allocator.SetPodCidr("127.1.6.0/24");

        Assert.Empty(allocator.Allocations);
        Assert.Equal("127.1.6.2", allocator.AllocatePodIP("b"));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 5702);
    }
}

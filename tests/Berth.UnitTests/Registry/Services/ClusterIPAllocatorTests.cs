using System.Net;
using Berth.Registry.Core.Services.Allocation;

namespace Berth.UnitTests.Registry.Services;

public sealed class ClusterIPAllocatorTests
{
    private static ClusterIPAllocator New(string cidr = "127.96.0.0/16", params string[] reserved) =>
        new(ServiceIPRange.Parse(cidr), reserved.Select(IPAddress.Parse));

    [Fact]
    public void Allocate_FreeIP_Succeeds_ThenSecondTimeRefused()
    {
        var ips = New();
        ips.Allocate(IPAddress.Parse("127.96.0.5"));
        var e = Assert.Throws<AllocationException>(() => ips.Allocate(IPAddress.Parse("127.96.0.5")));
        Assert.Equal("provided IP is already allocated", e.Message);
    }

    [Theory]
    [InlineData("127.97.0.5")]
    [InlineData("127.96.0.0")]
    [InlineData("127.96.255.255")]
    public void Allocate_OutsideRangeOrNetworkOrBroadcast_Refused(string ip)
    {
        var e = Assert.Throws<AllocationException>(() => New().Allocate(IPAddress.Parse(ip)));
        Assert.Equal($"the provided IP ({ip}) is not in the valid range. The range of valid IPs is 127.96.0.0/16", e.Message);
    }

    [Fact]
    public void AllocateNext_NeverReturnsReservedAddresses()
    {
        var ips = New("127.96.0.0/28", "127.96.0.1", "127.96.0.10");
        var got = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            got.Add(ips.AllocateNext().ToString());
        }
        Assert.DoesNotContain("127.96.0.1", got);
        Assert.DoesNotContain("127.96.0.10", got);
        Assert.Equal(12, got.Distinct().Count());
        var full = Assert.Throws<AllocationException>(() => ips.AllocateNext());
        Assert.True(full.Full);
        ips.Allocate(IPAddress.Parse("127.96.0.10"));
    }

    [Fact]
    public void AllocateNext_DryRun_DoesNotAllocate()
    {
        var ips = New();
        var ip = ips.AllocateNext(dryRun: true);
        Assert.False(ips.Has(ip));
        Assert.Equal(0, ips.Used);
    }

    [Fact]
    public void Release_MakesAddressAvailableAgain()
    {
        var ips = New();
        var ip = IPAddress.Parse("127.96.1.1");
        ips.Allocate(ip);
        ips.Release(ip);
        Assert.False(ips.Has(ip));
        ips.Allocate(ip);
    }

    [Fact]
    public async Task Allocate_ConcurrentRequestsForOneIP_ExactlyOneWins()
    {
        var ips = New();
        var ip = IPAddress.Parse("127.96.3.3");
        var wins = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
        {
            try
            {
                ips.Allocate(ip);
                Interlocked.Increment(ref wins);
            }
            catch (AllocationException)
            {
                // Lost the race.
            }
        }))).DefaultTimeout();
        Assert.Equal(1, wins);
    }

    [Fact]
    public async Task AllocateNext_Concurrent_GivesDistinctAddresses()
    {
        var ips = New("127.96.0.0/24");
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => ips.AllocateNext().ToString()))).DefaultTimeout();
        Assert.Equal(200, results.Distinct().Count());
    }

    [Theory]
    [InlineData("127.96.0.0/16", "127.1.0.0/16", false)]
    [InlineData("127.0.0.0/8", "127.1.0.0/16", true)]
    [InlineData("127.1.128.0/24", "127.1.0.0/16", true)]
    public void Overlaps_DetectsSharedAddresses(string a, string b, bool overlap) =>
        Assert.Equal(overlap, ServiceIPRange.Parse(a).Overlaps(ServiceIPRange.Parse(b)));

    [Fact]
    public void Options_OverlappingPodRange_Rejected()
    {
        var errors = new ServiceAllocatorOptions { ServiceClusterIPRange = "127.1.0.0/20" }.Validate("127.1.0.0/16");
        Assert.Contains(errors, e => e.Contains("overlaps the pod range 127.1.0.0/16", StringComparison.Ordinal));
        Assert.Empty(new ServiceAllocatorOptions().Validate("127.1.0.0/16"));
        Assert.NotEmpty(new ServiceAllocatorOptions { ServiceNodePortRange = "5-1" }.Validate());
    }
}

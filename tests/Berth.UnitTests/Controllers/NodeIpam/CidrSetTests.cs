using Berth.Controllers.NodeIpam;

namespace Berth.UnitTests.Controllers.NodeIpam;

public sealed class CidrSetTests
{
    [Fact]
    public void AllocateNext_Default_SlashTwentyFoursInOrder()
    {
        var set = new CidrSet("127.1.0.0/16", 24);

        Assert.Equal(["127.1.0.0/24", "127.1.1.0/24", "127.1.2.0/24"], [set.AllocateNext(), set.AllocateNext(), set.AllocateNext()]);
        Assert.Equal(256, set.Capacity);
        Assert.Equal(3, set.Allocated);
    }

    [Fact]
    public void AllocateNext_OccupiedSubnets_Skipped()
    {
        var set = new CidrSet("127.1.0.0/16", 24);
        set.Occupy("127.1.0.0/24");
        set.Occupy("127.1.1.0/24");
        set.Occupy("127.1.1.0/24");

        Assert.Equal("127.1.2.0/24", set.AllocateNext());
        Assert.Equal(3, set.Allocated);
    }

    [Fact]
    public void AllocateNext_Exhausted_UpstreamErrorThenReleasedSubnetReused()
    {
        var set = new CidrSet("127.1.0.0/23", 24);
        set.AllocateNext();
        var second = set.AllocateNext();

        var ex = Assert.Throws<InvalidOperationException>(() => set.AllocateNext());
        set.Release(second);

        Assert.Equal("CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range", ex.Message);
        Assert.Equal(second, set.AllocateNext());
    }

    [Fact]
    public void Occupy_LargerCidr_MarksEverySubnetItCovers()
    {
        var set = new CidrSet("127.1.0.0/16", 24);

        set.Occupy("127.1.0.0/22");

        Assert.Equal(4, set.Allocated);
        Assert.Equal("127.1.4.0/24", set.AllocateNext());
    }

    [Theory]
    [InlineData("127.2.0.0/24")]
    [InlineData("127.0.0.0/8")]
    [InlineData("garbage")]
    public void Occupy_OutsideClusterCidr_Throws(string cidr)
    {
        var set = new CidrSet("127.1.0.0/16", 24);

        Assert.Throws<ArgumentException>(() => set.Occupy(cidr));
        Assert.False(set.Contains(cidr));
    }

    [Theory]
    [InlineData("127.0.0.0/8", 25)]
    [InlineData("127.1.0.0/16", 12)]
    [InlineData("::1/64", 80)]
    public void Constructor_ImpossibleMasks_Throws(string cluster, int mask) =>
        Assert.Throws<ArgumentException>(() => new CidrSet(cluster, mask));
}

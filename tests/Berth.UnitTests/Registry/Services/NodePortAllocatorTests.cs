using Berth.Registry.Core.Services.Allocation;

namespace Berth.UnitTests.Registry.Services;

public sealed class NodePortAllocatorTests
{
    [Fact]
    public void Allocate_TakenPort_Refused()
    {
        var ports = new NodePortAllocator(PortRange.Parse("30000-32767"));
        ports.Allocate(30080);
        var e = Assert.Throws<AllocationException>(() => ports.Allocate(30080));
        Assert.Equal("provided port is already allocated", e.Message);
    }

    [Fact]
    public void Allocate_OutsideRange_Refused()
    {
        var e = Assert.Throws<AllocationException>(() => new NodePortAllocator(PortRange.Parse("30000-32767")).Allocate(80));
        Assert.Equal("provided port is not in the valid range. The range of valid ports is 30000-32767", e.Message);
    }

    [Fact]
    public void AllocateNext_ExhaustsRangeThenFull()
    {
        var ports = new NodePortAllocator(PortRange.Parse("31000-31009"));
        var got = Enumerable.Range(0, 10).Select(_ => ports.AllocateNext()).ToHashSet();
        Assert.Equal(10, got.Count);
        Assert.All(got, p => Assert.InRange(p, 31000, 31009));
        Assert.True(Assert.Throws<AllocationException>(() => ports.AllocateNext()).Full);
        ports.Release(31004);
        Assert.Equal(31004, ports.AllocateNext());
    }

    [Theory]
    [InlineData("30000-32767", 30000, 2768)]
    [InlineData("8080", 8080, 1)]
    public void Parse_ValidRanges(string text, int first, int size)
    {
        var range = PortRange.Parse(text);
        Assert.Equal(first, range.Base);
        Assert.Equal(size, range.Size);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("40000-30000")]
    [InlineData("0-10")]
    [InlineData("1-70000")]
    public void Parse_InvalidRanges_Throw(string text) => Assert.Throws<FormatException>(() => PortRange.Parse(text));
}

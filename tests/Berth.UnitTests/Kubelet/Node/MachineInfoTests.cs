using Berth.Kubelet.Node;
using Berth.UnitTests.Server;

namespace Berth.UnitTests.Kubelet.Node;

public sealed class MachineInfoTests
{
    [Fact]
    public void Read_ThisMachine_ReportsCapacityAndVersions()
    {
        using var root = new TempDirectory();

        var info = MachineInfo.Read(root.Path);

        Assert.True(info.Cores >= Environment.ProcessorCount);
        Assert.True(info.MemoryCapacityBytes > 64L * 1024 * 1024);
        Assert.True(info.EphemeralStorageCapacityBytes > 0);
        Assert.NotEmpty(info.KernelVersion);
        Assert.NotEmpty(info.OsImage);
        Assert.Contains(info.Architecture, (string[])["amd64", "arm64"]);
        Assert.Equal(36, info.BootId.Length);
    }

    [Theory]
    [InlineData("0\n", 1)]
    [InlineData("0-7\n", 8)]
    [InlineData("0,2-3,8-11", 7)]
    [InlineData("", 0)]
    [InlineData("0-x", 0)]
    [InlineData("3-1", 0)]
    public void CountCpuList_KernelCpuList_NumberOfCpus(string list, int expected) => Assert.Equal(expected, CpuList.Count(list));

    [Fact]
    public void HugePagesRead_SysfsPools_PageSizeAndReservedBytes()
    {
        using var root = new TempDirectory();
        foreach (var (dir, pages) in new[] { ("hugepages-2048kB", "512\n"), ("hugepages-1048576kB", "0\n") })
        {
            Directory.CreateDirectory(Path.Combine(root.Path, dir));
            File.WriteAllText(Path.Combine(root.Path, dir, "nr_hugepages"), pages);
        }

        var pools = HugePages.Read(root.Path).OrderBy(p => p.PageSizeBytes).ToList();

        Assert.Equal([new HugePagePool(2L << 20, 1L << 30), new HugePagePool(1L << 30, 0)], pools);
    }

    [Fact]
    public void HugePagesRead_NoPools_DefaultSizesNoneReserved()
    {
        using var root = new TempDirectory();

        Assert.Equal(HugePages.Default, HugePages.Read(Path.Combine(root.Path, "missing")));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1023, "1023")]
    [InlineData(1024, "1Ki")]
    [InlineData(16L * 1024 * 1024 * 1024, "16Gi")]
    [InlineData(16318480L * 1024, "16318480Ki")]
    [InlineData(94580335255, "94580335255")]
    public void BinaryQuantity_Bytes_CanonicalBinarySI(long bytes, string expected) => Assert.Equal(expected, NodeFormats.BinaryQuantity(bytes));

    [Fact]
    public void MicroTime_Time_SixFractionalDigitsUtc()
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567);

        Assert.Equal("2026-01-02T01:04:05.123456Z", NodeFormats.MicroTime(time));
        Assert.Equal("2026-01-02T01:04:05Z", NodeFormats.Time(time));
    }
}

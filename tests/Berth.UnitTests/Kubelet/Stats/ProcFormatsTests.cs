using Berth.Kubelet.Stats;

namespace Berth.UnitTests.Kubelet.Stats;

public sealed class ProcFormatsTests
{
    [Fact]
    public void ProcessTicks_CommandWithSpacesAndParens_SumsFields14To17()
    {
        const string line = "4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 500 1000 10";

        Assert.Equal(13, ProcFormats.ProcessTicks(line));
    }

    [Fact]
    public void ProcessTicks_Truncated_Null() => Assert.Null(ProcFormats.ProcessTicks("1 (x) S 1 2 3"));

    [Fact]
    public void BusyTicks_AggregateLine_ExcludesIdleAndIowait()
    {
        const string stat = "cpu  100 5 50 9000 40 3 2 1 0 0\ncpu0 50 2 25 4500 20 1 1 0 0 0\n";

        Assert.Equal(161, ProcFormats.BusyTicks(stat));
    }

    [Fact]
    public void KibField_MeminfoAndStatus_ParsesOrNull()
    {
        const string meminfo = "MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   20000000 kB\n";

        Assert.Equal(24_576_000, ProcFormats.KibField(meminfo, "MemTotal:"));
        Assert.Equal(20_000_000, ProcFormats.KibField(meminfo, "MemAvailable:"));
        Assert.Null(ProcFormats.KibField(meminfo, "VmRSS:"));
    }
}

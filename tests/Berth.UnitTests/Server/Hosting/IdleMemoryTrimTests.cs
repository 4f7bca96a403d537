using Berth.Server.Hosting;

namespace Berth.UnitTests.Server.Hosting;

public sealed class IdleMemoryTrimTests
{
    private const long Burst = IdleMemoryTrim.MinimumBurstBytes;
    private const long Quiet = IdleMemoryTrim.QuietBytesPerTick / 2;

    [Fact]
    public void Observe_BurstThenQuietTicks_TrimsOnceAfterTheQuietTicks()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 1_000L;
        Assert.False(trim.Observe(allocated));
        Assert.False(trim.Observe(allocated += Burst));

        var decisions = new List<bool>();
        for (var i = 0; i < IdleMemoryTrim.QuietTicks + 3; i++)
        {
            decisions.Add(trim.Observe(allocated += Quiet));
        }

        Assert.Equal(1, decisions.Count(d => d));
        Assert.True(decisions[IdleMemoryTrim.QuietTicks - 1]);
    }

    [Fact]
    public void Observe_RequestWithoutABurst_TrimsOnceWhenQuiet()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 0L;
        trim.Observe(allocated);
        trim.Request();

        var decisions = new List<bool>();
        for (var i = 0; i < IdleMemoryTrim.QuietTicks + 5; i++)
        {
            decisions.Add(trim.Observe(allocated += Quiet));
        }

        Assert.Equal(1, decisions.Count(d => d));
        Assert.True(decisions[IdleMemoryTrim.QuietTicks - 1]);
    }

    [Fact]
    public void Observe_RequestDuringSteadyAllocation_WaitsForQuiet()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 0L;
        trim.Observe(allocated);
        trim.Request();
        for (var i = 0; i < 20; i++)
        {
            Assert.False(trim.Observe(allocated += IdleMemoryTrim.QuietBytesPerTick * 2));
        }

        var decisions = Enumerable.Range(0, IdleMemoryTrim.QuietTicks).Select(_ => trim.Observe(allocated += Quiet)).ToList();
        Assert.Equal([false, false, true], decisions.TakeLast(3));
    }

    [Fact]
    public void Observe_SteadyAllocation_NeverTrims()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 0L;
        trim.Observe(allocated);

        for (var i = 0; i < 200; i++)
        {
            Assert.False(trim.Observe(allocated += IdleMemoryTrim.QuietBytesPerTick * 2));
        }
    }

    [Fact]
    public void Observe_QuietWithoutABurst_NeverTrims()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 0L;
        trim.Observe(allocated);

        for (var i = 0; i < 100; i++)
        {
            Assert.False(trim.Observe(allocated += Quiet));
        }
    }

    [Fact]
    public void Observe_ABusyTickAmongQuietOnes_RestartsTheQuietCount()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 0L;
        trim.Observe(allocated);
        trim.Observe(allocated += Burst);
        for (var i = 0; i < IdleMemoryTrim.QuietTicks - 1; i++)
        {
            Assert.False(trim.Observe(allocated += Quiet));
        }

        Assert.False(trim.Observe(allocated += IdleMemoryTrim.QuietBytesPerTick));
        for (var i = 0; i < IdleMemoryTrim.QuietTicks - 1; i++)
        {
            Assert.False(trim.Observe(allocated += Quiet));
        }
        Assert.True(trim.Observe(allocated += Quiet));
    }

    [Fact]
    public void Observe_SecondBurst_TrimsAgain()
    {
        var trim = new IdleMemoryTrim();
        var allocated = 0L;
        trim.Observe(allocated);
        trim.Observe(allocated += Burst);
        var first = Enumerable.Range(0, IdleMemoryTrim.QuietTicks).Select(_ => trim.Observe(allocated += Quiet)).Count(d => d);

        trim.Observe(allocated += Burst);
        var second = Enumerable.Range(0, IdleMemoryTrim.QuietTicks).Select(_ => trim.Observe(allocated += Quiet)).Count(d => d);

        Assert.Equal(1, first);
        Assert.Equal(1, second);
    }
}

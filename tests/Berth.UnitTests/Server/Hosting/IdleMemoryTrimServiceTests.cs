using Berth.Server.Hosting;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Server.Hosting;

public sealed class IdleMemoryTrimServiceTests
{
    [Fact]
    public async Task ExecuteAsync_BurstThenQuiet_TrimsOnce()
    {
        var time = new FakeTimeProvider();
        var allocated = 0L;
        var trims = 0;
        using var service = new IdleMemoryTrimService(time, NullLogger.Instance, () => Interlocked.Read(ref allocated),
            () => Interlocked.Increment(ref trims));
        await service.StartAsync(CancellationToken.None);

        await AdvanceAsync(time, service, ticks: 1);
        Interlocked.Add(ref allocated, IdleMemoryTrim.MinimumBurstBytes);
        await AdvanceAsync(time, service, ticks: IdleMemoryTrim.QuietTicks + 5);

        await AsyncTestHelpers.WaitUntilAsync(() => service.Trims == 1, because: "one trim after the burst went quiet");
        Assert.Equal(1, Volatile.Read(ref trims));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ScheduleTrim_NoBurst_TrimsOnceWhenQuiet()
    {
        var time = new FakeTimeProvider();
        var trims = 0;
        using var service = new IdleMemoryTrimService(time, NullLogger.Instance, () => 1_000, () => Interlocked.Increment(ref trims));
        await service.StartAsync(CancellationToken.None);

        await AdvanceAsync(time, service, ticks: 1);
        service.ScheduleTrim();
        service.ScheduleTrim();
        await AdvanceAsync(time, service, ticks: IdleMemoryTrim.QuietTicks + 5);

        await AsyncTestHelpers.WaitUntilAsync(() => service.Trims == 1, because: "one trim for the coalesced requests");
        Assert.Equal(1, Volatile.Read(ref trims));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExecuteAsync_NoBurst_NeverTrims()
    {
        var time = new FakeTimeProvider();
        var trims = 0;
        using var service = new IdleMemoryTrimService(time, NullLogger.Instance, () => 1_000, () => Interlocked.Increment(ref trims));
        await service.StartAsync(CancellationToken.None);

        await AdvanceAsync(time, service, ticks: 20);

        Assert.Equal(0, Volatile.Read(ref trims));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void TrimProcess_InThisProcess_RunsAFullCollection()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);

        IdleMemoryTrimService.TrimProcess();

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
    }

    /// <summary>One tick at a time, each after the loop has observed the previous one (its timer is re-armed).</summary>
    private static async Task AdvanceAsync(FakeTimeProvider time, IdleMemoryTrimService service, int ticks)
    {
        await service.Armed.DefaultTimeout();
        for (var i = 0; i < ticks; i++)
        {
            var seen = service.Ticks;
            time.Advance(TimeSpan.FromSeconds(1));
            await AsyncTestHelpers.WaitUntilAsync(() => service.Ticks > seen, because: "the loop handles each tick");
        }
    }
}

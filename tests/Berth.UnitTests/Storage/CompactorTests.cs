using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Storage.StoreTestObjects;

namespace Berth.UnitTests.Storage;

public sealed class CompactorTests
{
    private static readonly StoreOptions Options = new() { HistoryRetention = TimeSpan.FromMinutes(5), CompactionInterval = TimeSpan.FromSeconds(30) };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));

    [Fact]
    public async Task TickAsync_BeforeRetention_DoesNotCompact()
    {
        await using var store = new InMemoryResourceStore();
        var compactor = new Compactor(store, Options, _time);
        await WriteAsync(store, 3);
        await compactor.TickAsync(default);

        _time.Advance(TimeSpan.FromMinutes(4));
        var compacted = await compactor.TickAsync(default);

        Assert.Equal(0, compacted);
        Assert.Equal(0, store.CompactedRevision);
    }

    [Fact]
    public async Task TickAsync_AfterRetention_CompactsToRevisionSampledRetentionAgo()
    {
        await using var store = new InMemoryResourceStore();
        var compactor = new Compactor(store, Options, _time);
        await WriteAsync(store, 3);
        await compactor.TickAsync(default);
        var old = store.CurrentRevision;
        _time.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(store, 3, start: 3);
        await compactor.TickAsync(default);

        _time.Advance(TimeSpan.FromMinutes(4));
        var compacted = await compactor.TickAsync(default);

        Assert.Equal(old, compacted);
        Assert.Equal(old, store.CompactedRevision);
        Assert.Throws<StoreCompactedException>(() => store.Watch("/pods/", old - 1));
    }

    [Fact]
    public async Task RunAsync_TimeAdvancedPastRetention_CompactsAndStopsOnCancel()
    {
        await using var store = new InMemoryResourceStore();
        await WriteAsync(store, 2);
        var old = store.CurrentRevision;
        using var cts = new CancellationTokenSource();
        var run = new Compactor(store, Options, _time).RunAsync(cts.Token);
        await WriteAsync(store, 2, start: 2);

        _time.Advance(Options.HistoryRetention);

        await AsyncTestHelpers.WaitUntilAsync(() => store.CompactedRevision == old, because: "compactor ran");
        await cts.CancelAsync();
        await run.DefaultTimeout();
        Assert.Equal(old, store.CompactedRevision);
    }

    [Fact]
    public async Task TickAsync_CompactionFails_LogsAndRetriesOnNextTick()
    {
        await using var inner = new InMemoryResourceStore();
        var store = new FailingCompactionStore(inner) { FailuresLeft = 1 };
        var logger = new FakeLogger<Compactor>();
        var compactor = new Compactor(store, Options with { HistoryRetention = TimeSpan.Zero }, _time, logger);
        await WriteAsync(inner, 2);

        var first = await compactor.TickAsync(default);
        var second = await compactor.TickAsync(default);

        Assert.Equal(0, first);
        Assert.Equal(inner.CurrentRevision, second);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 2111 && r.Level == LogLevel.Warning);
    }

    private static async Task WriteAsync(IResourceStore store, int count, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            await store.CreateAsync(PodKey($"p{i}"), Pod($"p{i}"));
        }
    }
}

using Berth.Kubelet.Util;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Util;

public sealed class BackoffTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Next_RepeatedCrashes_DoublesFromTenToThreeHundred()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), _time);
        var seen = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            backoff.Next("app", _time.GetUtcNow());
            seen.Add(backoff.Get("app").TotalSeconds);
            _time.Advance(backoff.Get("app"));
        }

        Assert.Equal([10, 20, 40, 80, 160, 300, 300, 300], seen);
    }

    [Fact]
    public void IsInBackOffSince_WithinAndAfterBackoff_TrueThenFalse()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), _time);
        var finished = _time.GetUtcNow();
        Assert.False(backoff.IsInBackOffSince("app", finished));
        backoff.Next("app", finished);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(backoff.IsInBackOffSince("app", finished));
        Assert.Equal(TimeSpan.FromSeconds(0.1), backoff.Remaining("app", finished));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(backoff.IsInBackOffSince("app", finished));
    }

    [Fact]
    public void Next_AfterTenMinutesOfRunning_ResetsToInitial()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), _time);
        backoff.Next("app", _time.GetUtcNow());
        backoff.Next("app", _time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(20), backoff.Get("app"));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var crash = _time.GetUtcNow();
        Assert.False(backoff.IsInBackOffSince("app", crash));
        backoff.Next("app", crash);

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Get("app"));
    }

    [Fact]
    public void GC_StaleEntries_Removed()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), _time);
        backoff.Next("a", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(11));
        backoff.GC();

        Assert.Equal(TimeSpan.Zero, backoff.Get("a"));
    }
}

using Berth.Client.WorkQueues;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.WorkQueues;

public sealed class DelayingQueueTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AddAfter_BeforeDelayPasses_ItemIsNotReady()
    {
        using var q = new DelayingQueue<string>(_time);

        q.AddAfter("a", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Equal(0, q.Len);
        Assert.Equal(1, q.WaitingCount);
    }

    [Fact]
    public async Task AddAfter_DelayPasses_ItemBecomesReady()
    {
        using var q = new DelayingQueue<string>(_time);

        q.AddAfter("a", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, q.Len);
        Assert.Equal(("a", false), await q.GetAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public void AddAfter_SameItemWithShorterDelay_EarlierTimeWins()
    {
        using var q = new DelayingQueue<string>(_time);

        q.AddAfter("a", TimeSpan.FromSeconds(10));
        q.AddAfter("a", TimeSpan.FromSeconds(2));
        q.AddAfter("a", TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, q.Len);
        Assert.Equal(0, q.WaitingCount);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, q.Len);
    }

    [Fact]
    public void AddAfter_NonPositiveDelay_AddsAtOnce()
    {
        using var q = new DelayingQueue<string>(_time);

        q.AddAfter("a", TimeSpan.Zero);
        q.AddAfter("b", TimeSpan.FromSeconds(-1));

        Assert.Equal(2, q.Len);
    }

    [Fact]
    public void AddAt_DeadlineComputedBeforeClockMoved_ReadyAtThatDeadline()
    {
        using var q = new DelayingQueue<string>(_time);
        var deadline = _time.GetUtcNow() + TimeSpan.FromMinutes(2);

        _time.Advance(TimeSpan.FromMinutes(1));
        q.AddAt("a", deadline);
        _time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, q.Len);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, q.Len);
    }

    [Fact]
    public void AddAt_TimeAlreadyPassed_AddsAtOnceAndKeepsNoWaitingEntry()
    {
        using var q = new DelayingQueue<string>(_time);

        q.AddAt("a", _time.GetUtcNow());
        q.AddAt("b", _time.GetUtcNow() - TimeSpan.FromHours(1));

        Assert.Equal(2, q.Len);
        Assert.Equal(0, q.WaitingCount);
    }

    [Fact]
    public async Task AddAfter_SeveralItems_BecomeReadyInDueOrder()
    {
        using var q = new DelayingQueue<string>(_time);

        q.AddAfter("late", TimeSpan.FromSeconds(3));
        q.AddAfter("early", TimeSpan.FromSeconds(1));
        q.AddAfter("middle", TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, q.Len);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("early", (await q.GetAsync().AsTask().DefaultTimeout()).Item);
        Assert.Equal("middle", (await q.GetAsync().AsTask().DefaultTimeout()).Item);
        Assert.Equal("late", (await q.GetAsync().AsTask().DefaultTimeout()).Item);
    }

    [Fact]
    public void ShutDown_WithWaitingItems_DropsThem()
    {
        using var q = new DelayingQueue<string>(_time);
        q.AddAfter("a", TimeSpan.FromSeconds(1));

        q.ShutDown();
        _time.Advance(TimeSpan.FromSeconds(5));
        q.AddAfter("b", TimeSpan.FromSeconds(1));

        Assert.Equal(0, q.Len);
        Assert.Equal(0, q.WaitingCount);
    }
}

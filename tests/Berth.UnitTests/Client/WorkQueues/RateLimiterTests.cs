using Berth.Client.WorkQueues;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.WorkQueues;

public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ItemExponential_RepeatedFailures_DoublesFrom5msAndCapsAt1000s()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        var waits = Enumerable.Range(0, 5).Select(_ => limiter.When("a").TotalMilliseconds).ToArray();
        Assert.Equal([5, 10, 20, 40, 80], waits);
        for (var i = 0; i < 100; i++)
        {
            limiter.When("a");
        }
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));
        Assert.Equal(106, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
    }

    [Fact]
    public void ItemExponential_Forget_RestartsTheSequence()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.When("a");
        limiter.When("a");

        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void BucketRateLimiter_AfterBurst_SpacesRetriesAtTheRate()
    {
        var limiter = new BucketRateLimiter<string>(new TokenBucket(10, 100, _time));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.When("x" + i));
        }

        Assert.Equal(100, limiter.When("y").TotalMilliseconds, 3);
        Assert.Equal(200, limiter.When("z").TotalMilliseconds, 3);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(200, limiter.When("w").TotalMilliseconds, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, limiter.When("v"));
        Assert.Equal(0, limiter.NumRequeues("y"));
    }

    [Fact]
    public void TokenBucket_TryTake_RefillsOverTime()
    {
        var bucket = new TokenBucket(1, 2, _time);

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void DefaultControllerRateLimiter_OneItem_BacksOffExponentially()
    {
        var limiter = RateLimiters.DefaultControllerRateLimiter<string>(_time);

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(2, limiter.NumRequeues("a"));
        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }

    [Fact]
    public void MaxOf_TwoLimiters_ReturnsTheLongerWait()
    {
        var slow = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var fast = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        var limiter = new MaxOfRateLimiter<string>(fast, slow);

        Assert.Equal(TimeSpan.FromSeconds(1), limiter.When("a"));
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.When("a"));
        Assert.Equal(2, limiter.NumRequeues("a"));
    }

    [Fact]
    public async Task RateLimitingQueue_AddRateLimited_WaitsTheLimiterDelay()
    {
        using var q = new RateLimitingQueue<string>(
            new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), _time);

        q.AddRateLimited("a");
        Assert.Equal(0, q.Len);
        _time.Advance(TimeSpan.FromSeconds(1));
        var (item, _) = await q.GetAsync().AsTask().DefaultTimeout();
        q.Done(item);

        q.AddRateLimited("a");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, q.Len);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, q.Len);
        Assert.Equal(2, q.NumRequeues("a"));

        q.Forget("a");
        Assert.Equal(0, q.NumRequeues("a"));
    }
}

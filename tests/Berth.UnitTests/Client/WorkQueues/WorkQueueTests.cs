using Berth.Client.WorkQueues;

namespace Berth.UnitTests.Client.WorkQueues;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task Add_SameItemTwiceBeforeGet_HandsItOutOnce()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        q.Add("a");
        q.Add("b");

        Assert.Equal(2, q.Len);
        Assert.Equal(("a", false), await q.GetAsync().AsTask().DefaultTimeout());
        Assert.Equal(("b", false), await q.GetAsync().AsTask().DefaultTimeout());
        Assert.Equal(0, q.Len);
    }

    [Fact]
    public async Task Add_WhileProcessing_RequeuesOnlyAfterDone()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        var (item, _) = await q.GetAsync().AsTask().DefaultTimeout();

        q.Add("a");
        Assert.Equal(0, q.Len);

        q.Done(item);
        Assert.Equal(1, q.Len);
        Assert.Equal(("a", false), await q.GetAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task GetAsync_ItemsAddedInOrder_ReturnsThemInOrder()
    {
        var q = new WorkQueue<int>();
        for (var i = 0; i < 5; i++)
        {
            q.Add(i);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, (await q.GetAsync().AsTask().DefaultTimeout()).Item);
        }
    }

    [Fact]
    public async Task GetAsync_WaitingConsumers_ServedInArrivalOrder()
    {
        var q = new WorkQueue<string>();
        var first = q.GetAsync().AsTask();
        var second = q.GetAsync().AsTask();
        Assert.False(first.IsCompleted);

        q.Add("x");
        q.Add("y");

        Assert.Equal("x", (await first.DefaultTimeout()).Item);
        Assert.Equal("y", (await second.DefaultTimeout()).Item);
    }

    [Fact]
    public async Task ShutDown_WithWaitingConsumer_ReturnsShutdown()
    {
        var q = new WorkQueue<string>();
        var waiting = q.GetAsync().AsTask();

        q.ShutDown();

        Assert.True((await waiting.DefaultTimeout()).Shutdown);
        Assert.True(q.ShuttingDown);
    }

    [Fact]
    public async Task ShutDown_WithQueuedItems_HandsThemOutThenReportsShutdown()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        q.ShutDown();
        q.Add("b");

        Assert.Equal(("a", false), await q.GetAsync().AsTask().DefaultTimeout());
        Assert.True((await q.GetAsync().AsTask().DefaultTimeout()).Shutdown);
    }

    [Fact]
    public async Task GetAsync_Cancelled_DoesNotConsumeALaterItem()
    {
        var q = new WorkQueue<string>();
        using var cts = new CancellationTokenSource();
        var waiting = q.GetAsync(cts.Token).AsTask();

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.DefaultTimeout());
        q.Add("a");

        Assert.Equal(1, q.Len);
        Assert.Equal(("a", false), await q.GetAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_ItemInProcess_CompletesAfterDone()
    {
        var q = new WorkQueue<string>();
        q.Add("a");
        var (item, _) = await q.GetAsync().AsTask().DefaultTimeout();

        var drain = q.ShutDownWithDrainAsync();
        Assert.False(drain.IsCompleted);

        q.Done(item);
        await drain.DefaultTimeout();
    }

    [Fact]
    public async Task GetAsync_FourWorkersAndRepeatedAdds_NeverProcessesAnItemConcurrently()
    {
        var q = new WorkQueue<int>();
        var inFlight = new HashSet<int>();
        var processed = 0;
        var violations = 0;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (item, shutdown) = await q.GetAsync();
                if (shutdown)
                {
                    return;
                }
                lock (inFlight)
                {
                    if (!inFlight.Add(item))
                    {
                        violations++;
                    }
                }
                await Task.Yield();
                lock (inFlight)
                {
                    inFlight.Remove(item);
                }
                Interlocked.Increment(ref processed);
                q.Done(item);
            }
        })).ToArray();

        for (var round = 0; round < 200; round++)
        {
            q.Add(round % 5);
        }
        await AsyncTestHelpers.WaitUntilAsync(() => q.Len == 0);
        await q.ShutDownWithDrainAsync().DefaultTimeout();
        await Task.WhenAll(workers).DefaultTimeout();

        Assert.Equal(0, violations);
        Assert.InRange(processed, 5, 200);
    }
}

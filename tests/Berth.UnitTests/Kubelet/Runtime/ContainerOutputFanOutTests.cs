using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// The log pump's fan-out to attach sessions: every subscriber gets the chunks published after it subscribed, in
/// order; completion ends them; a subscriber that falls too far behind is cut off; a disposed one gets nothing more.
/// </summary>
public sealed class ContainerOutputFanOutTests
{
    [Fact]
    public async Task Publish_TwoSubscribers_EachGetsTheLaterChunksInOrder()
    {
        var fanOut = new ContainerOutputFanOut();
        fanOut.Publish(ContainerOutputStream.Stdout, "early"u8);
        using var first = fanOut.Subscribe();
        using var second = fanOut.Subscribe();

        fanOut.Publish(ContainerOutputStream.Stdout, "a"u8);
        fanOut.Publish(ContainerOutputStream.Stderr, "b"u8);
        fanOut.Complete();

        Assert.Equal(["Stdout:a", "Stderr:b"], await ReadAllAsync(first));
        Assert.Equal(["Stdout:a", "Stderr:b"], await ReadAllAsync(second));
    }

    [Fact]
    public async Task Subscribe_AfterComplete_EndsAtOnce()
    {
        var fanOut = new ContainerOutputFanOut();
        fanOut.Complete();

        using var late = fanOut.Subscribe();

        Assert.Empty(await ReadAllAsync(late));
    }

    [Fact]
    public async Task Publish_ReaderTooFarBehind_SubscriptionEndsAsOverflowed()
    {
        var fanOut = new ContainerOutputFanOut();
        using var slow = fanOut.Subscribe();
        var chunk = new byte[1024 * 1024];

        for (var i = 0; i <= ContainerOutputSubscription.MaxQueuedBytes / chunk.Length; i++)
        {
            fanOut.Publish(ContainerOutputStream.Stdout, chunk);
        }

        Assert.True(slow.Overflowed);
        Assert.Equal((int)(ContainerOutputSubscription.MaxQueuedBytes / chunk.Length), (await ReadAllAsync(slow)).Count);
    }

    [Fact]
    public async Task Dispose_StopsDelivery()
    {
        var fanOut = new ContainerOutputFanOut();
        var gone = fanOut.Subscribe();
        gone.Dispose();

        fanOut.Publish(ContainerOutputStream.Stdout, "a"u8);

        Assert.Empty(await ReadAllAsync(gone));
    }

    // Bounded: every case ends the subscription before reading it.
    private static Task<List<string>> ReadAllAsync(ContainerOutputSubscription subscription) => CollectAsync(subscription).DefaultTimeout();

    private static async Task<List<string>> CollectAsync(ContainerOutputSubscription subscription)
    {
        var chunks = new List<string>();
        await foreach (var c in subscription.ReadAllAsync(CancellationToken.None))
        {
            chunks.Add(c.Stream + ":" + System.Text.Encoding.UTF8.GetString(c.Data));
        }
        return chunks;
    }
}

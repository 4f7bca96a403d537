using Berth.Kubelet.Util;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Util;

public sealed class AsyncSignalTests
{
    [Fact]
    public async Task WaitAsync_SetBeforeWait_ReturnsTrueOnceForManySets()
    {
        var signal = new AsyncSignal();
        var time = new FakeTimeProvider();
        signal.Set();
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None).DefaultTimeout());
        var second = signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await second.DefaultTimeout());
    }

    [Fact]
    public async Task WaitAsync_SetWhileWaiting_Wakes()
    {
        var signal = new AsyncSignal();
        var wait = signal.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, CancellationToken.None);
        signal.Set();

        Assert.True(await wait.DefaultTimeout());
    }
}

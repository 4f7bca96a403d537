using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>
/// Steps a <see cref="FakeTimeProvider"/> in small increments, letting pending continuations run between steps, so
/// code that reads the time after a timer fired sees (nearly) the exact due time. Every loop is bounded.
/// </summary>
internal static class FakeClock
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    public static async Task AdvanceAsync(this FakeTimeProvider time, TimeSpan total, TimeSpan? step = null)
    {
        var end = time.GetUtcNow() + total;
        while (time.GetUtcNow() < end)
        {
            await SettleAsync();
            var left = end - time.GetUtcNow();
            time.Advance(left < (step ?? Step) ? left : step ?? Step);
        }

        await SettleAsync();
    }

    /// <summary>Advances until <paramref name="done"/> holds; fails after <paramref name="max"/> of fake time.</summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> done, TimeSpan max, TimeSpan? step = null, string? because = null)
    {
        var end = time.GetUtcNow() + max;
        await SettleAsync();
        while (!done())
        {
            if (time.GetUtcNow() >= end)
            {
                throw new TimeoutException($"Condition not met within {max} of fake time{(because is null ? "" : ": " + because)}");
            }

            time.Advance(step ?? Step);
            await SettleAsync();
        }
    }

    /// <summary>Lets queued continuations run (a few yields and a 2 ms real pause).</summary>
    public static async Task SettleAsync()
    {
        for (var i = 0; i < 4; i++)
        {
            await Task.Yield();
        }

        await Task.Delay(2);
    }

    /// <summary>Seconds between <paramref name="start"/> and <paramref name="at"/>.</summary>
    public static double SecondsSince(this DateTimeOffset at, DateTimeOffset start) => (at - start).TotalSeconds;
}

using System.Runtime.CompilerServices;

namespace Berth.Testing;

/// <summary>Bounded waits for tests (Aspire tests/Shared/AsyncTestHelpers.cs). Every awaited task goes through these.</summary>
public static class AsyncTestHelpers
{
    /// <summary>5 s locally, 30 s on CI (CI=true), where the 2-core machine runs several test processes.</summary>
    public static TimeSpan DefaultWait { get; } =
        Environment.GetEnvironmentVariable("CI") == "true" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(10);

    public static async Task DefaultTimeout(this Task task, TimeSpan? timeout = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(timeout ?? DefaultWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout ?? DefaultWait} at {Path.GetFileName(file)}:{line}");
        }
    }

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan? timeout = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(timeout ?? DefaultWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout ?? DefaultWait} at {Path.GetFileName(file)}:{line}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds or the bounded wait runs out.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met{(because is null ? "" : ": " + because)} at {Path.GetFileName(file)}:{line}");
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>Async variant of <see cref="WaitUntilAsync(Func{bool}, TimeSpan?, string?, string, int)"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met{(because is null ? "" : ": " + because)} at {Path.GetFileName(file)}:{line}");
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}

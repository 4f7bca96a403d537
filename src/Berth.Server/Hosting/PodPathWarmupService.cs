namespace Berth.Server.Hosting;

/// <summary>
/// Runs <see cref="PodPathWarmup"/> once, after the host has started (so never on the <c>/readyz</c> path), on a thread
/// of its own at a low scheduling priority (nice 10 on Linux), so a client's first requests get the CPU first. Only with
/// <c>--warm-up-pod-path</c> (<see cref="Options.ServerOptions.WarmUpPodPath"/>, off by default for its memory) and when the
/// server owns its process (<c>berth server</c>): the work is a process-wide one-off cost, like the idle trim.
/// Logs what it took: wall time, the methods it JIT-compiled and the JIT time on its thread (event 2).
/// </summary>
internal sealed partial class PodPathWarmupService(PodPathWarmup warmup, IHostApplicationLifetime lifetime, TimeProvider time,
    ILogger<PodPathWarmupService> logger) : BackgroundService
{
    /// <summary>nice value of the warm-up thread: below the server's other threads (0), above idle work.</summary>
    internal const int Nice = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()).ConfigureAwait(false))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)).ConfigureAwait(false))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(done, stoppingToken)) { IsBackground = true, Name = "berth-warmup" };
        thread.Start();
        await done.Task.ConfigureAwait(false);
    }

    private void Run(TaskCompletionSource done, CancellationToken stoppingToken)
    {
        try
        {
            LowerPriority();
            var start = time.GetTimestamp();
            var failed = warmup.RunAsync(stoppingToken).GetAwaiter().GetResult();
            Log.Done(logger, failed.Count == 0 ? "none" : string.Join(", ", failed), time.GetElapsedTime(start).TotalMilliseconds,
                System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true),
                System.Runtime.JitInfo.GetCompilationTime(currentThread: true).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            // host stopping
        }
        finally
        {
            done.TrySetResult();
        }
    }

    // Best effort: a refused or unsupported change leaves the thread at the process's priority.
    private static void LowerPriority()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Berth.Proxy.Forwarding.Linux.LoopPriority.SetCurrentThreadNice(Nice);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
            Message = "Pod path warm-up took {ElapsedMs:F0} ms ({JitMethods} methods JIT-compiled in {JitMs:F0} ms on its thread); failed steps: {Failed}")]
        public static partial void Done(ILogger logger, string failed, double elapsedMs, long jitMethods, double jitMs);
    }
}

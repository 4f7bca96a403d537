using Berth.ApiServer;

namespace Berth.Server.Hosting;

/// <summary>
/// Once a second asks <see cref="IdleMemoryTrim"/> whether a burst of work is over; if so, runs one blocking,
/// compacting, aggressive full collection (<see cref="GCCollectionMode.Aggressive"/>: the GC also decommits as much
/// free memory as it can) and returns glibc's free heap pages (<see cref="NativeHeap.Trim"/>). Without it
/// the memory a burst of creates left behind stays resident while the server idles, because an idle server no longer
/// collects (issue 2: RSS with 3,000 pods stored; docs/benchmarks.md, session 7). Runs only while allocation is quiet,
/// so no request load pays the pause (25–55 ms measured for a 20 MiB heap of parsed pods; about twice that, estimated, for the
/// server's ~40 MB with 3,000 pods). Also trims once, when quiet, on <see cref="ScheduleTrim"/>.
/// </summary>
internal sealed partial class IdleMemoryTrimService : BackgroundService, IMemoryTrimScheduler
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<long> _allocatedBytes;
    private readonly Action _trim;
    private readonly TaskCompletionSource _armed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _trims;
    private int _ticks;
    private int _requested;

    /// <summary>
    /// The server's trim: the shared informers first stop holding their cached objects
    /// (<see cref="Berth.Client.Informers.SharedInformerFactory.ReleaseCachedObjects"/>), so the collection also frees
    /// the parsed objects no consumer references (they are re-parsed from their bytes when read again).
    /// </summary>
    public IdleMemoryTrimService(TimeProvider time, ILogger<IdleMemoryTrimService> logger, Berth.Client.Informers.SharedInformerFactory informers)
        : this(time, logger, static () => GC.GetTotalAllocatedBytes(precise: false), () =>
        {
            informers.ReleaseCachedObjects();
            TrimProcess();
        })
    {
    }

    /// <summary>For tests: the allocation counter and the trim itself are replaced.</summary>
    internal IdleMemoryTrimService(TimeProvider time, ILogger logger, Func<long> allocatedBytes, Action trim)
    {
        _time = time;
        _logger = logger;
        _allocatedBytes = allocatedBytes;
        _trim = trim;
    }

    /// <inheritdoc />
    public void ScheduleTrim() => Volatile.Write(ref _requested, 1);

    /// <summary>Trims done so far (for tests and diagnostics); read from any thread.</summary>
    public int Trims => Volatile.Read(ref _trims);

    /// <summary>Ticks observed so far (for tests: the loop has handled a tick once this rises).</summary>
    internal int Ticks => Volatile.Read(ref _ticks);

    /// <summary>Completes once the loop's timer exists (for tests that advance a fake clock).</summary>
    internal Task Armed => _armed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var policy = new IdleMemoryTrim();
        using var timer = new PeriodicTimer(Tick, _time);
        _armed.TrySetResult();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (Interlocked.Exchange(ref _requested, 0) == 1)
                {
                    policy.Request();
                }
                if (policy.Observe(_allocatedBytes()))
                {
                    TrimNow();
                }
                Interlocked.Increment(ref _ticks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
    }

    /// <summary>The real trim: a full aggressive collection, then glibc's <c>malloc_trim</c>.</summary>
    internal static void TrimProcess()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    private void TrimNow()
    {
        var started = _time.GetTimestamp();
        _trim();
        Interlocked.Increment(ref _trims);
        Log.Trimmed(_logger, GC.GetGCMemoryInfo().HeapSizeBytes >> 20, (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Idle memory trim: GC heap {HeapMb} MiB after {ElapsedMs} ms")]
        public static partial void Trimmed(ILogger logger, long heapMb, long elapsedMs);
    }
}

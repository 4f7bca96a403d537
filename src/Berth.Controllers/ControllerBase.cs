using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Client.WorkQueues;
using Berth.Machinery.Meta;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers;

/// <summary>
/// The shape every controller shares: informer handlers only enqueue <see cref="ObjectKey"/>s; N workers take keys
/// from a rate-limited queue and call <see cref="SyncAsync"/>, which must be level-triggered and idempotent (read the
/// lister, compute the desired state, write). A key is never synced by two workers at once, and keys enqueued many
/// times while waiting are synced once. A failed sync is retried with the queue's per-key backoff until
/// <see cref="MaxRetries"/> requeues, then dropped with a log line; the next change to the object enqueues it again.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/endpointslice/endpointslice_controller.go (Run, worker,
/// processNextWorkItem, handleErr). The queue is a queue and not a channel so that a busy key is coalesced instead of
/// piling up, and so that failures back off per key.
/// </remarks>
public abstract partial class ControllerBase : IDisposable
{
    /// <summary>
    /// Requeues before a key is dropped (upstream maxRetries). With the default limiter (5 ms doubling) the 15th retry
    /// waits about 82 s, so a key is retried for roughly 2.7 minutes in all.
    /// </summary>
    public const int DefaultMaxRetries = 15;

    private readonly IReadOnlyList<ISharedInformer> _informers;
    private readonly RateLimitingQueue<ObjectKey> _queue;

    /// <param name="name">Controller name for logs, e.g. <c>endpointslice</c>.</param>
    /// <param name="informers">Informers whose caches must be synced before the first sync.</param>
    /// <param name="rateLimiter">Per-key retry backoff; client-go's default controller limiter when null.</param>
    protected ControllerBase(string name, IReadOnlyList<ISharedInformer> informers, TimeProvider timeProvider, ILogger logger,
        IRateLimiter<ObjectKey>? rateLimiter = null)
    {
        Name = name;
        _informers = informers;
        Logger = logger;
        _queue = new RateLimitingQueue<ObjectKey>(rateLimiter ?? RateLimiters.DefaultControllerRateLimiter<ObjectKey>(timeProvider), timeProvider);
    }

    public string Name { get; }

    /// <summary>The work queue; handlers add keys, workers take them.</summary>
    protected IRateLimitingQueue<ObjectKey> Queue => _queue;

    protected ILogger Logger { get; }

    /// <summary>Requeues allowed before a failing key is dropped.</summary>
    protected virtual int MaxRetries => DefaultMaxRetries;

    /// <summary>
    /// Waits for the informers to sync, then runs <paramref name="workers"/> workers until
    /// <paramref name="cancellationToken"/> fires; then shuts the queue down and returns once every worker has
    /// finished its current key. Call once.
    /// </summary>
    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        Log.Starting(Logger, Name, workers);
        await using var shutdown = cancellationToken.Register(_queue.ShutDown).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_informers.Select(i => i.WaitForCacheSyncAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        Log.CachesSynced(Logger, Name);
        var running = Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None));
        await Task.WhenAll(running).ConfigureAwait(false);
        Log.Stopped(Logger, Name);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Brings the object named by <paramref name="key"/> to its desired state. Called by one worker at a time per
    /// key. Throw to be retried with backoff; return normally when done, also when the object no longer exists
    /// (clean up, then return, so that it is not retried).
    /// </summary>
    protected abstract Task SyncAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>Enqueues the key of <paramref name="obj"/> (for informer add/update handlers).</summary>
    protected void Enqueue(JsonObject obj) => _queue.Add(ObjectKeys.KeyOf(obj));

    protected void Enqueue(ObjectKey key) => _queue.Add(key);

    /// <summary>Enqueues the key of a deleted object, tombstones included (for informer delete handlers).</summary>
    protected void EnqueueDeleted(JsonObject obj, DeletedFinalStateUnknown? tombstone) =>
        _queue.Add(tombstone?.Key ?? ObjectKeys.KeyOf(obj));

    /// <summary>Enqueues the key of <paramref name="obj"/> after <paramref name="delay"/> (e.g. to re-check a deadline).</summary>
    protected void EnqueueAfter(JsonObject obj, TimeSpan delay) => _queue.AddAfter(ObjectKeys.KeyOf(obj), delay);

    /// <summary>Enqueues the key of <paramref name="obj"/> when the clock reaches <paramref name="readyAt"/> (a deadline).</summary>
    protected void EnqueueAt(JsonObject obj, DateTimeOffset readyAt) => _queue.AddAt(ObjectKeys.KeyOf(obj), readyAt);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _queue.Dispose();
        }
    }

    /// <summary>Takes one key, syncs it and records the outcome. Returns false once the queue is shut down.</summary>
    internal async Task<bool> ProcessNextWorkItemAsync(CancellationToken cancellationToken)
    {
        var (key, shutdown) = await _queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
        if (shutdown)
        {
            return false;
        }
        try
        {
            await SyncAsync(key, cancellationToken).ConfigureAwait(false);
            HandleErr(key, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: neither a success nor a failure.
        }
        catch (Exception ex)
        {
            HandleErr(key, ex);
        }
        finally
        {
            _queue.Done(key);
        }
        return true;
    }

    /// <summary>Forgets <paramref name="key"/> on success; on failure requeues it with backoff, or drops it once the retry budget is spent.</summary>
    protected void HandleErr(ObjectKey key, Exception? error)
    {
        if (error is null)
        {
            _queue.Forget(key);
            return;
        }
        var requeues = _queue.NumRequeues(key);
        if (requeues < MaxRetries)
        {
            if (error is Berth.Machinery.Errors.ApiException { Code: 409 })
            {
                // A stale read lost an optimistic-concurrency race: routine for level-triggered controllers.
                Log.SyncConflictRetrying(Logger, Name, key.ToString(), requeues + 1, error.Message);
            }
            else
            {
                Log.SyncFailedRetrying(Logger, Name, key.ToString(), requeues + 1, error);
            }
            _queue.AddRateLimited(key);
            return;
        }
        Log.RetryBudgetExceeded(Logger, Name, key.ToString(), error);
        _queue.Forget(key);
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && await ProcessNextWorkItemAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Starting {Controller} controller with {Workers} workers")]
        public static partial void Starting(ILogger logger, string controller, int workers);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Caches of {Controller} controller synced")]
        public static partial void CachesSynced(ILogger logger, string controller);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Error syncing {Key} in {Controller} controller, retry {Retry}")]
        public static partial void SyncFailedRetrying(ILogger logger, string controller, string key, int retry, Exception exception);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Retry budget exceeded, dropping {Key} out of the {Controller} queue")]
        public static partial void RetryBudgetExceeded(ILogger logger, string controller, string key, Exception exception);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Conflict syncing {Key} in {Controller} controller, retry {Retry}: {Reason}")]
        public static partial void SyncConflictRetrying(ILogger logger, string controller, string key, int retry, string reason);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Stopped {Controller} controller")]
        public static partial void Stopped(ILogger logger, string controller);
    }
}

using Berth.Client.WorkQueues;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// One worker over a rate-limiting queue of keys: hands each key to a sync function, forgets it on success, and
/// retries it with the default controller backoff on failure (up to <see cref="MaxRetries"/> times, then drops it with
/// a log line; the next event for the key brings it back). Used by the namespace and service-account controllers.
/// Mirrors the processNextWorkItem/handleErr loop of kubernetes/kubernetes pkg/controller/namespace/namespace_controller.go.
/// </summary>
/// <remarks>Enqueue methods are thread-safe; <see cref="RunAsync"/> is called once.</remarks>
internal sealed partial class KeyedWorker : IDisposable
{
    /// <summary>Retries before a failing key is dropped.</summary>
    public const int MaxRetries = 15;

    private readonly RateLimitingQueue<string> _queue;
    private readonly Func<string, CancellationToken, Task> _sync;
    private readonly ILogger _logger;
    private readonly string _name;

    public KeyedWorker(string name, Func<string, CancellationToken, Task> sync, TimeProvider time, ILogger logger)
    {
        _name = name;
        _sync = sync;
        _logger = logger;
        _queue = new RateLimitingQueue<string>(RateLimiters.DefaultControllerRateLimiter<string>(time), time);
    }

    public void Enqueue(string key) => _queue.Add(key);

    public void EnqueueAfter(string key, TimeSpan delay) => _queue.AddAfter(key, delay);

    /// <summary>Processes keys until <paramref name="cancellationToken"/> fires; the queue is shut down then.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(_queue.ShutDown);
        while (!cancellationToken.IsCancellationRequested)
        {
            (string Item, bool Shutdown) next;
            try
            {
                next = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (next.Shutdown)
            {
                break;
            }
            await ProcessAsync(next.Item, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _sync(key, cancellationToken).ConfigureAwait(false);
            _queue.Forget(key);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down; the key is not retried.
        }
        catch (Exception e)
        {
            if (_queue.NumRequeues(key) < MaxRetries)
            {
                Log.SyncFailed(_logger, e, _name, key);
                _queue.AddRateLimited(key);
            }
            else
            {
                Log.Dropped(_logger, e, _name, key, MaxRetries);
                _queue.Forget(key);
            }
        }
        finally
        {
            _queue.Done(key);
        }
    }

    public void Dispose() => _queue.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "{Controller}: sync of {Key} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string controller, string key);

        [LoggerMessage(EventId = 4016, Level = LogLevel.Error, Message = "{Controller}: dropping {Key} after {Retries} retries")]
        public static partial void Dropped(ILogger logger, Exception exception, string controller, string key, int retries);
    }
}

using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Informers;

/// <summary>
/// Delivers notifications to one handler from its own loop through an unbounded buffer, so that the informer never
/// waits for a handler. Counts the initial-list notifications still pending to answer <see cref="HasSynced"/>.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/shared_informer.go (processorListener). Thread-safe.</remarks>
internal sealed partial class ProcessorListener(IResourceEventHandler handler, Func<bool> informerSynced, ILogger logger)
    : IEventHandlerRegistration
{
    private readonly Channel<Notification> _buffer =
        Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });

    private int _initialPending;

    public bool HasSynced => informerSynced() && Volatile.Read(ref _initialPending) == 0;

    /// <summary>Queues a notification; never blocks. Dropped once the listener is stopped.</summary>
    public void Enqueue(Notification notification)
    {
        if (notification.Initial)
        {
            Interlocked.Increment(ref _initialPending);
        }
        if (!_buffer.Writer.TryWrite(notification) && notification.Initial)
        {
            Interlocked.Decrement(ref _initialPending);
        }
    }

    /// <summary>Stops the loop once the notifications already queued are delivered.</summary>
    public void Stop() => _buffer.Writer.TryComplete();

    /// <summary>The delivery loop; ends when <see cref="Stop"/> was called and the buffer is empty, or on cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var n in _buffer.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Deliver(n);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping with the informer.
        }
    }

    private void Deliver(Notification n)
    {
        try
        {
            switch (n.Kind)
            {
                case NotificationKind.Add:
                    handler.OnAdd(n.Obj, n.Initial);
                    break;
                case NotificationKind.Update:
                    handler.OnUpdate(n.OldObj!, n.Obj);
                    break;
                case NotificationKind.Delete:
                    handler.OnDelete(n.Obj, n.Tombstone);
                    break;
            }
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(logger, n.Kind, ex);
        }
        finally
        {
            if (n.Initial)
            {
                Interlocked.Decrement(ref _initialPending);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Informer event handler failed on {Notification}")]
        public static partial void HandlerFailed(ILogger logger, NotificationKind notification, Exception exception);
    }
}

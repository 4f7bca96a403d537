namespace Berth.Kubelet.Util;

/// <summary>
/// A one-slot, coalescing wake-up for a single waiting loop: any number of <see cref="Set"/> calls before the next
/// wait count as one. The Go idiom it replaces is a <c>chan struct{}</c> of capacity 1 with a non-blocking send.
/// </summary>
/// <remarks>Thread-safe for any number of setters and one waiter at a time.</remarks>
public sealed class AsyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _pending;

    /// <summary>Wakes the waiter, or makes the next wait return at once.</summary>
    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null)
            {
                _pending = true;
                return;
            }
        }

        waiter.TrySetResult();
    }

    /// <summary>
    /// Waits for a <see cref="Set"/> or until <paramref name="timeout"/> passes on <paramref name="time"/> (infinite
    /// allowed). True when signalled, false on timeout; cancellation throws.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_pending)
            {
                _pending = false;
                return true;
            }

            waiter = _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (_waiter == waiter)
                {
                    _waiter = null;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return waiter.Task.IsCompleted;
        }
    }
}

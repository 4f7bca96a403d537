namespace Berth.Registry.Generic;

/// <summary>
/// A single-use <see cref="IAsyncEnumerable{T}"/> over an open <see cref="WatchSession"/>. Unlike a compiler-generated
/// iterator, disposing its enumerator closes the session even if it was never advanced, so an HTTP handler that fails
/// between opening the watch and the first event does not leak a store subscription.
/// </summary>
internal sealed class WatchStream(WatchSession session) : IAsyncEnumerable<ApiWatchEvent>
{
    private int _enumerated;

    public IAsyncEnumerator<ApiWatchEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A watch stream can be enumerated only once.");
        }
        return new Enumerator(session, cancellationToken);
    }

    private sealed class Enumerator(WatchSession session, CancellationToken cancellationToken) : IAsyncEnumerator<ApiWatchEvent>
    {
        public ApiWatchEvent Current { get; private set; } = null!;

        public async ValueTask<bool> MoveNextAsync()
        {
            var next = await session.NextAsync(cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                return false;
            }
            Current = next;
            return true;
        }

        public ValueTask DisposeAsync()
        {
            session.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

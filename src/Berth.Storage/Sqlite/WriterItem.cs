using Berth.Storage.Core;

namespace Berth.Storage.Sqlite;

/// <summary>Work queued for the single SQLite writer thread. Completion runs continuations off the writer thread.</summary>
internal abstract class WriterItem
{
    public abstract void Fail(Exception error);
}

/// <summary>A mutation; completes with the stored object once its batch is durable, indexed and published.</summary>
internal sealed class PendingWrite(WriteRequest request, CancellationToken cancellationToken) : WriterItem
{
    private readonly TaskCompletionSource<StoredObject> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WriteRequest Request { get; } = request;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<StoredObject> Task => _done.Task;

    public void Complete(StoredObject stored) => _done.TrySetResult(stored);

    public void Cancel() => _done.TrySetCanceled(CancellationToken);

    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>One compaction step up to <see cref="To"/>, run between write batches; completes with the rows deleted.</summary>
internal sealed class PendingCompaction(long to) : WriterItem
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long To { get; } = to;

    public Task<int> Task => _done.Task;

    public void Complete(int deleted) => _done.TrySetResult(deleted);

    public override void Fail(Exception error) => _done.TrySetException(error);
}

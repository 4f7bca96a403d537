namespace Berth.Storage.Core;

/// <summary>
/// Turns requests into log records: checks existence and revision preconditions against the committed index plus the
/// batch written so far, assigns the next revision, and stamps the value. One planner per store, used only by the
/// single writer; not thread-safe. Mirrors the precondition checks of k3s-io/kine pkg/server/{create,update,delete}.go.
/// </summary>
/// <remarks>
/// A rejected request throws a <see cref="StoreException"/> and consumes no revision. If the batch cannot be made
/// durable, the writer calls <see cref="Begin"/> again with the last durable revision, so revisions are only ever
/// handed out once they are committed.
/// </remarks>
internal sealed class WritePlanner(ResourceIndex index)
{
    private readonly Dictionary<string, StoredObject?> _batch = new(StringComparer.Ordinal);
    private long _revision;

    /// <summary>The revision of the last planned record.</summary>
    public long Revision => _revision;

    /// <summary>Starts a batch on top of <paramref name="lastRevision"/>, the newest durable revision.</summary>
    public void Begin(long lastRevision)
    {
        _batch.Clear();
        _revision = lastRevision;
    }

    public StoreEvent Plan(WriteRequest request)
    {
        var current = Lookup(request.Key);
        var revision = _revision + 1;
        var change = request.Kind switch
        {
            WriteKind.Create => PlanCreate(request, current, revision),
            WriteKind.Update => PlanUpdate(request, current, revision),
            _ => PlanDelete(request, current, revision),
        };
        _revision = revision;
        _batch[request.Key] = change.Type == StoreEventType.Deleted ? null : change.Object;
        return change;
    }

    private static StoreEvent PlanCreate(WriteRequest request, StoredObject? current, long revision)
    {
        if (current is not null)
        {
            throw new StoreKeyExistsException(request.Key);
        }
        var value = ResourceVersionStamper.Serialize(request.Value!, revision);
        return new StoreEvent(StoreEventType.Added, new StoredObject(request.Key, revision, revision, value), null);
    }

    private static StoreEvent PlanUpdate(WriteRequest request, StoredObject? current, long revision)
    {
        var previous = CheckPreconditions(request, current);
        var value = ResourceVersionStamper.Serialize(request.Value!, revision);
        var updated = new StoredObject(request.Key, revision, previous.CreateRevision, value);
        return new StoreEvent(StoreEventType.Modified, updated, previous);
    }

    private static StoreEvent PlanDelete(WriteRequest request, StoredObject? current, long revision)
    {
        var previous = CheckPreconditions(request, current);
        var value = ResourceVersionStamper.Restamp(previous.Value.Span, revision);
        var last = new StoredObject(request.Key, revision, previous.CreateRevision, value);
        return new StoreEvent(StoreEventType.Deleted, last, previous);
    }

    private static StoredObject CheckPreconditions(WriteRequest request, StoredObject? current)
    {
        if (current is null)
        {
            throw new StoreNotFoundException(request.Key);
        }
        if (request.ExpectedRevision != 0 && request.ExpectedRevision != current.Revision)
        {
            throw new StoreConflictException(request.Key, request.ExpectedRevision, current.Revision);
        }
        return current;
    }

    private StoredObject? Lookup(string key) =>
        _batch.TryGetValue(key, out var pending) ? pending : index.Get(key);
}

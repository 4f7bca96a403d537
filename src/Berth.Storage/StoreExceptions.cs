namespace Berth.Storage;

/// <summary>Base of the store's sentinel errors (kine's ErrKeyExists, ErrCompacted…). The registry maps them to Status.</summary>
public abstract class StoreException(string message) : Exception(message);

public sealed class StoreKeyExistsException(string key) : StoreException($"key exists: {key}")
{
    public string Key { get; } = key;
}

public sealed class StoreNotFoundException(string key) : StoreException($"key not found: {key}")
{
    public string Key { get; } = key;
}

public sealed class StoreConflictException(string key, long expected, long actual)
    : StoreException($"revision conflict on {key}: expected {expected}, found {actual}")
{
    public string Key { get; } = key;

    public long Expected { get; } = expected;

    public long Actual { get; } = actual;
}

/// <summary>The requested revision was compacted away; clients must relist (HTTP 410 Expired).</summary>
public sealed class StoreCompactedException(long requested, long compacted)
    : StoreException($"required revision {requested} has been compacted (oldest available {compacted})")
{
    public long Requested { get; } = requested;

    public long Compacted { get; } = compacted;
}

/// <summary>Completes a watch whose consumer fell too far behind.</summary>
public sealed class WatchTooSlowException() : StoreException("watcher fell behind and was closed");

namespace Berth.Storage;

/// <summary>Values of SQLite's <c>PRAGMA synchronous</c> that the store supports (always with WAL).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>fsync of the WAL on every commit: an acknowledged write survives power loss.</summary>
    Full,

    /// <summary>fsync only at checkpoints: survives process crashes, may lose the last commits on power loss.</summary>
    Normal,
}

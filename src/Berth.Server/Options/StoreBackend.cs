namespace Berth.Server.Options;

/// <summary>Where API objects live (<c>--store</c>).</summary>
public enum StoreBackend
{
    /// <summary>A SQLite database in the data directory; survives restarts.</summary>
    Sqlite,

    /// <summary>In memory only; everything is lost when the server stops. For tests and throw-away clusters.</summary>
    Memory,
}

using Berth.Storage.InMemory;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage;

/// <summary>Opens a store by name, for the composition root and command-line flags (<c>--datastore sqlite|memory</c>).</summary>
public static class ResourceStoreFactory
{
    public const string Sqlite = "sqlite";

    public const string Memory = "memory";

    /// <summary>
    /// Opens a <see cref="SqliteResourceStore"/> (<c>"sqlite"</c>, loads the file synchronously) or a fresh
    /// <see cref="InMemoryResourceStore"/> (<c>"memory"</c>). Throws <see cref="ArgumentException"/> for another kind.
    /// The caller owns the store and disposes it last, after everything that writes to it has stopped.
    /// </summary>
    public static IResourceStore Open(string kind, StoreOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return kind.ToLowerInvariant() switch
        {
            Sqlite => SqliteResourceStore.Open(options, timeProvider, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteResourceStore>()),
            Memory => new InMemoryResourceStore(options),
            _ => throw new ArgumentException($"unknown store kind '{kind}' (expected '{Sqlite}' or '{Memory}')", nameof(kind)),
        };
    }
}
